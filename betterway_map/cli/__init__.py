"""``flask ...`` commands: thin click wrappers over service functions.

Every module here with an ``init_app(app)`` adds its commands in ``create_app``.
"""
