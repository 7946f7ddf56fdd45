"""The rights' services: one transaction each."""
