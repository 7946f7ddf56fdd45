"""The De Jong Gierveld 6-item scale, scored by hand: emotional items count
"yes" and "more or less", social items "no" and "more or less"; one missing
item is scored from the five answered, two or more leave the total missing."""

from __future__ import annotations

import pytest

from betterway_map.domain.measures.djg import DJG_ITEMS, DjgError, band, score_djg

NAMES = [name for name, _, _ in DJG_ITEMS]
EMOTIONAL = ["djg_emptiness", "djg_miss_people", "djg_rejected"]
SOCIAL = ["djg_rely_on", "djg_trust", "djg_close"]


def answers(emotional, social) -> dict:
    return dict(zip(EMOTIONAL, emotional)) | dict(zip(SOCIAL, social))


@pytest.mark.parametrize(
    ("emotional", "social", "total", "parts"),
    [
        # Nobody lonelier: every emotional "yes", every social "no".
        (("yes", "yes", "yes"), ("no", "no", "no"), 6, (3, 3)),
        # Nobody less lonely: the opposite answers score nothing.
        (("no", "no", "no"), ("yes", "yes", "yes"), 0, (0, 0)),
        # "More or less" counts 1 on either subscale: 3 + 3.
        (("more_or_less",) * 3, ("more_or_less",) * 3, 6, (3, 3)),
        # Mixed: emptiness yes (1), miss no (0), rejected more or less (1);
        # rely on yes (0), trust no (1), close yes (0): 2 + 1.
        (("yes", "no", "more_or_less"), ("yes", "no", "yes"), 3, (2, 1)),
    ],
)
def test_worked_examples(emotional, social, total, parts):
    scored = score_djg(answers(emotional, social))
    assert (scored.total, (scored.emotional, scored.social), scored.answered) == (total, parts, 6)


def test_one_missing_item_is_scored_from_the_five_answered():
    # The missing social item adds nothing (it is not scaled up to six):
    # emotional 1 + 1 + 0 = 2, social (trust "no") 1, close missing: total 3.
    scored = score_djg(answers(("yes", "more_or_less", "no"), ("yes", "no", None)))
    assert (scored.total, scored.emotional, scored.social, scored.answered) == (3, 2, None, 5)


@pytest.mark.parametrize("missing", [("djg_emptiness", "djg_close"), ("djg_trust", "djg_close")])
def test_two_missing_items_leave_the_total_missing(missing):
    given = {name: "yes" for name in NAMES if name not in missing}
    assert score_djg(given).total is None


def test_nothing_answered_is_not_a_score():
    assert score_djg({name: None for name in NAMES}) is None


def test_an_unknown_answer_is_refused_naming_it():
    with pytest.raises(DjgError, match="'sometimes' is not an answer"):
        score_djg({"djg_trust": "sometimes"})


@pytest.mark.parametrize(
    ("total", "label"), [(1, "not lonely"), (2, "moderately lonely"), (5, "severely lonely")]
)
def test_the_manuals_bands(total, label):
    assert band(total) == label
