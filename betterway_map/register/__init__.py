"""The register: organisations, their spaces and groups, co-admins and partnerships."""
