"""Marshmallow schemas for people and their records, used by pages and API alike."""
