"""Data protection rights: erasure, subject access, one's own consents and
the retention review. Sits above ``matching`` because erasing a person, or
saying everything held about them, reaches every capability below it."""
