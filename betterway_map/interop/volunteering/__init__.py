"""Volunteering roles in the volunteering data standard (JSON-LD), public.

``mapping`` is pure (which groups are roles, and how they are written);
``services`` reads them; ``views`` serves ``/volunteering/roles.jsonld``.
"""
