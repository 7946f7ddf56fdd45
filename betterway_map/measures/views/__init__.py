"""Pages for recording contacts, agreed rhythms and feedback."""
