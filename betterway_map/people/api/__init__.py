"""The people API: the same rules as the pages."""

# Who may use the API of one person's records: the person, or their worker.
PEOPLE = ("resident", "worker")
