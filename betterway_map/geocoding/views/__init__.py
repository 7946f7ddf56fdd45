"""The geocoding pages: area indicators for site admins, and the offline map background."""
