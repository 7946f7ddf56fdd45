"""Calendar feeds (iCalendar, RFC 5545) of groups' meetings."""
