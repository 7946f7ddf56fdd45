"""Register use cases, one transaction each; record rules in ``register.permissions``."""
