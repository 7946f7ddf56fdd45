"""What is on near a place: nearby search (page, API, map) and "I'd like to go"."""
