"""Measures of what matters: contacts within relationships, their agreed
rhythm, feedback on relationship quality, and the figures computed from
them (continuity, quality, change, equity). The computations are pure, in
``domain/measures``."""
