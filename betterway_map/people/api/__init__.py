"""The people API: the same rules as the pages."""
