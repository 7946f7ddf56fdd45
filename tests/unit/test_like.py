"""``database.escape_like``: what a person types is matched literally by LIKE.

Only the pattern text is checked here (no app, no database); the searches
that use it are tested against the database beside their features
(``test_people``, ``test_admin_users``, ``test_attendance``).
"""

from __future__ import annotations

import pytest

from betterway_map.database import LIKE_ESCAPE, escape_like


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("walking", "walking"),  # nothing special: unchanged
        ("100%", "100\\%"),
        ("arts_crafts", "arts\\_crafts"),
        ("C:\\", "C:\\\\"),  # the escape character itself, doubled
        ("\\%", "\\\\\\%"),  # escaped first, so an escape typed by hand stays literal
        ("", ""),
    ],
)
def test_wildcards_and_the_escape_character_are_escaped(text, pattern):
    assert escape_like(text) == pattern


def test_no_unescaped_wildcard_is_left():
    escaped = escape_like("%_\\%__\\\\")
    unescaped, position = [], 0
    while position < len(escaped):
        if escaped[position] == LIKE_ESCAPE:
            position += 2  # the escape and the character it makes literal
            continue
        unescaped.append(escaped[position])
        position += 1
    assert unescaped == []
