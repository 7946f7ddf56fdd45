"""The De Jong Gierveld 6-item loneliness scale, scored exactly.

Six statements, each answered "yes", "more or less" or "no":

* emotional loneliness — "I experience a general sense of emptiness", "I miss
  having people around", "I often feel rejected": each scores 1 when
  answered "yes" or "more or less";
* social loneliness — "There are plenty of people I can rely on when I have
  problems", "There are many people I can trust completely", "There are
  enough people I feel close to": each scores 1 when answered "no" or "more
  or less".

The total runs from 0 (not lonely) to 6 (most lonely); each subscale from 0
to 3. Missing answers follow the scale's manual (its SPSS syntax counts the
lonely answers among those given, and sets the total missing when more than
one item is missing):

* no item missing: the total is the count of lonely answers;
* **exactly one item missing: the total is the count of lonely answers among
  the five answered** (the missing item adds nothing; it is not scaled up);
* more than one missing: the total is missing (None).

A subscale is missing when any of its three items is missing. The manual's
bands of the total are 0–1 not lonely, 2–4 moderately lonely, 5–6 severely
lonely.

Source: De Jong Gierveld, J. & Van Tilburg, T. (2006). "A 6-item scale for
overall, emotional, and social loneliness: confirmatory tests on survey
data." *Research on Aging*, 28(5), 582–598; and the authors' *Manual of the
Loneliness Scale* (VU University Amsterdam). Free to use with this citation.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CITATION",
    "DJG_ITEMS",
    "DJG_ANSWERS",
    "EMOTIONAL",
    "SOCIAL",
    "DjgError",
    "DjgScore",
    "score_djg",
    "band",
]

CITATION = (
    "De Jong Gierveld, J. & Van Tilburg, T. (2006). A 6-item scale for overall, emotional, "
    "and social loneliness: confirmatory tests on survey data. Research on Aging, 28(5), 582–598."
)

EMOTIONAL, SOCIAL = "emotional", "social"
# (field name, the statement, which subscale), in the order the scale asks them.
DJG_ITEMS = (
    ("djg_emptiness", "I experience a general sense of emptiness.", EMOTIONAL),
    ("djg_rely_on", "There are plenty of people I can rely on when I have problems.", SOCIAL),
    ("djg_trust", "There are many people I can trust completely.", SOCIAL),
    ("djg_close", "There are enough people I feel close to.", SOCIAL),
    ("djg_miss_people", "I miss having people around.", EMOTIONAL),
    ("djg_rejected", "I often feel rejected.", EMOTIONAL),
)
DJG_ANSWERS = (("yes", "Yes"), ("more_or_less", "More or less"), ("no", "No"))
# The answers that count as lonely, by subscale.
_LONELY = {EMOTIONAL: frozenset({"yes", "more_or_less"}), SOCIAL: frozenset({"no", "more_or_less"})}
_BANDS = ((1, "not lonely"), (4, "moderately lonely"), (6, "severely lonely"))


class DjgError(ValueError):
    """An answer that is not "yes", "more_or_less" or "no"."""


@dataclass(frozen=True)
class DjgScore:
    """One occasion's scores; None where missing."""

    total: int | None
    emotional: int | None
    social: int | None
    answered: int


def score_djg(answers: dict[str, str | None]) -> DjgScore | None:
    """Score the answers, keyed by the field names of ``DJG_ITEMS`` (a key
    left out, or None, is a missing answer). None when no item is answered
    (the scale was not asked).

    Every emotional item "yes" and every social item "no": the loneliest.

    >>> score_djg({"djg_emptiness": "yes", "djg_miss_people": "yes", "djg_rejected": "yes",
    ...            "djg_rely_on": "no", "djg_trust": "no", "djg_close": "no"})
    DjgScore(total=6, emotional=3, social=3, answered=6)

    "More or less" counts as lonely on both subscales; "no" to an emotional
    item and "yes" to a social one count 0.

    >>> score_djg({"djg_emptiness": "more_or_less", "djg_miss_people": "no",
    ...            "djg_rejected": "no", "djg_rely_on": "yes", "djg_trust": "more_or_less",
    ...            "djg_close": "yes"})
    DjgScore(total=2, emotional=1, social=1, answered=6)

    One item missing: the total counts the five answered; its subscale is missing.

    >>> score_djg({"djg_emptiness": "yes", "djg_miss_people": "yes", "djg_rejected": None,
    ...            "djg_rely_on": "no", "djg_trust": "yes", "djg_close": "yes"})
    DjgScore(total=3, emotional=None, social=1, answered=5)

    Two missing: the total is missing too.

    >>> score_djg({"djg_emptiness": "yes", "djg_trust": "no"}).total is None
    True
    >>> score_djg({}) is None
    True
    """
    allowed = {value for value, _ in DJG_ANSWERS}
    counts = {EMOTIONAL: 0, SOCIAL: 0}
    missing = {EMOTIONAL: 0, SOCIAL: 0}
    for name, _, subscale in DJG_ITEMS:
        answer = answers.get(name)
        if answer is None:
            missing[subscale] += 1
            continue
        if answer not in allowed:
            raise DjgError(
                f"{answer!r} is not an answer to “{name}”: give yes, more_or_less or no."
            )
        counts[subscale] += answer in _LONELY[subscale]
    answered = len(DJG_ITEMS) - missing[EMOTIONAL] - missing[SOCIAL]
    if answered == 0:
        return None
    total = counts[EMOTIONAL] + counts[SOCIAL] if answered >= len(DJG_ITEMS) - 1 else None
    return DjgScore(
        total=total,
        emotional=counts[EMOTIONAL] if not missing[EMOTIONAL] else None,
        social=counts[SOCIAL] if not missing[SOCIAL] else None,
        answered=answered,
    )


def band(total: int | None) -> str | None:
    """The manual's band of a total: 0–1 not lonely, 2–4 moderately, 5–6 severely.

    >>> band(0), band(2), band(4), band(5), band(None)
    ('not lonely', 'moderately lonely', 'moderately lonely', 'severely lonely', None)
    """
    if total is None:
        return None
    return next(label for upper, label in _BANDS if total <= upper)
