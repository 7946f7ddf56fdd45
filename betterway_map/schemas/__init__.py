"""Marshmallow schemas: the one description of each record's valid input,
used by the pages' forms and by the JSON API alike. No Flask here."""
