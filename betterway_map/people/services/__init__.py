"""People use cases, one transaction each; record rules in ``people.permissions``."""
