"""Account use cases, one transaction each."""
