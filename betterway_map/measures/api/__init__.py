"""The API for contacts, agreed rhythms and feedback."""
