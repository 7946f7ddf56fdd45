"""The accounts API: users (site admin) and the signed-in account (``/me``)."""
