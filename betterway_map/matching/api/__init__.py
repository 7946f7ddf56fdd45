"""Matching: api."""
