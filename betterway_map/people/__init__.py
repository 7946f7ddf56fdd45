"""People: the people workers support and residents themselves, their consent,
profiles, loneliness measures, ties, help offered and asked for, volunteering,
attendance at groups, and which worker looks after whom."""
