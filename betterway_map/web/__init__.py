"""The web layer: blueprints, forms, the JSON API and access control."""

# Modules of this package that define a page blueprint ``bp``.
BLUEPRINT_MODULES = ("main", "auth")
