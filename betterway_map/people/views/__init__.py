"""People pages."""
