"""Use cases: load records, call the pure code, one transaction each."""
