"""The measures' services: loading in bulk, and the figures."""
