"""Matching: views."""
