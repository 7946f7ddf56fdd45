"""Register pages: organisations, spaces, groups."""
