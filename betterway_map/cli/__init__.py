"""``flask ...`` commands: thin click wrappers over service functions."""

# Modules of this package with an ``init_app(app)`` that adds their commands.
COMMAND_MODULES = ()
