"""Recording contacts, agreed rhythms and feedback: one transaction per function."""
