"""Matching: services."""
