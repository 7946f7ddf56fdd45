"""The web layer: blueprints, forms, the JSON API and access control.

Every module here that defines a Blueprint ``bp`` is registered by
``create_app``; adding a feature means adding a module.
"""
