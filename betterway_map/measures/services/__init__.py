"""The measures' services: recording (one transaction per function), loading in bulk, and the figures."""
