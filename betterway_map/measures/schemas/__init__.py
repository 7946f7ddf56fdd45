"""What is recorded within relationships: the one schema per record, for pages and API."""
