"""Matching: requests for support, volunteers' offers, matching runs and the
journey of a match from proposal to its end; group suggestions for a person.
The solver and the rules are pure, in ``domain/matching``."""
