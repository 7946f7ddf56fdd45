"""The register API: organisations, spaces and groups are public to read."""
