"""Matching: schemas."""
