"""The ONS-recommended measures of loneliness.

Two measures, recorded side by side and never merged:

* the UCLA 3-item scale — "How often do you feel that you lack
  companionship?", "... left out?", "... isolated from others?" — each
  answered 1 (hardly ever or never), 2 (some of the time) or 3 (often), for a
  total from 3 to 9;
* the direct question "How often do you feel lonely?" with five answers.

Source: ONS, "Measuring loneliness: guidance for use of the national
indicators on surveys" (2018).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "UCLA_ITEMS",
    "UCLA_ANSWERS",
    "UCLA_MIN",
    "UCLA_MAX",
    "DIRECT_ANSWERS",
    "DIRECT_AT_RISK",
    "MeasureError",
    "LonelinessScore",
    "score",
]

UCLA_ITEMS = (
    ("ucla_companionship", "How often do you feel that you lack companionship?"),
    ("ucla_left_out", "How often do you feel left out?"),
    ("ucla_isolated", "How often do you feel isolated from others?"),
)
UCLA_ANSWERS = (
    (1, "Hardly ever or never"),
    (2, "Some of the time"),
    (3, "Often"),
)
UCLA_MIN = 3
UCLA_MAX = 9

DIRECT_QUESTION = "How often do you feel lonely?"
DIRECT_ANSWERS = (
    ("often_always", "Often or always"),
    ("some_of_the_time", "Some of the time"),
    ("occasionally", "Occasionally"),
    ("hardly_ever", "Hardly ever"),
    ("never", "Never"),
)
# The ONS reports "chronic loneliness" as answering often or always.
DIRECT_AT_RISK = frozenset({"often_always"})


class MeasureError(ValueError):
    """A loneliness answer outside the scale it belongs to."""


@dataclass(frozen=True)
class LonelinessScore:
    """The two measures of one occasion, kept apart."""

    ucla_total: int | None
    direct: str | None

    @property
    def lonely_often(self) -> bool:
        """True when the direct answer is "often or always"."""
        return self.direct in DIRECT_AT_RISK


def score(
    ucla_companionship: int | None = None,
    ucla_left_out: int | None = None,
    ucla_isolated: int | None = None,
    direct: str | None = None,
) -> LonelinessScore:
    """Check one occasion's answers and total the UCLA items.

    The UCLA items are all answered or all left out; the direct question may
    be answered on its own. At least one of the two measures is required.

    >>> score(3, 2, 3, "often_always")
    LonelinessScore(ucla_total=8, direct='often_always')
    >>> score(direct="never").ucla_total is None
    True
    """
    items = (ucla_companionship, ucla_left_out, ucla_isolated)
    answered = [item for item in items if item is not None]
    if answered and len(answered) != len(items):
        raise MeasureError(
            "Answer all three questions about how you feel, or leave all three empty "
            f"({len(answered)} of 3 answered)."
        )
    allowed = {value for value, _ in UCLA_ANSWERS}
    for (name, _), value in zip(UCLA_ITEMS, items):
        if value is not None and value not in allowed:
            raise MeasureError(f"{name} must be 1, 2 or 3, not {value!r}.")
    if direct is not None and direct not in {v for v, _ in DIRECT_ANSWERS}:
        accepted = ", ".join(v for v, _ in DIRECT_ANSWERS)
        raise MeasureError(f"direct must be one of {accepted}, not {direct!r}.")
    if not answered and direct is None:
        raise MeasureError(
            f"Answer the three questions about how you feel, “{DIRECT_QUESTION}”, or both."
        )
    total = sum(answered) if answered else None
    return LonelinessScore(ucla_total=total, direct=direct)
