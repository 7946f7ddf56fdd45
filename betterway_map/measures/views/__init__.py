"""The measures pages."""
