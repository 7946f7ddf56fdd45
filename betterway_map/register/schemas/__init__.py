"""Marshmallow schemas for the register, used by pages and API alike."""
