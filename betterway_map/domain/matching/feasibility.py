"""While a request is being written: how many volunteers would fit it, and
which single rule removes the most of them.

>>> from datetime import date
>>> need = Need(0, 10, "befriending_phone", availability=frozenset({"tue_pm"}),
...             languages=frozenset({"pl"}))
>>> offers = [Offer(20, kinds=frozenset({"befriending_phone"}), languages=frozenset({"en"}),
...                 availability=frozenset({"tue_pm"}), capacity=2),
...           Offer(21, kinds=frozenset({"befriending_phone"}), languages=frozenset({"pl"}),
...                 availability=frozenset({"tue_pm"}))]
>>> feasibility(need, offers, date(2026, 1, 5))["fitting"]
1
>>> feasibility(need, offers, date(2026, 1, 5))["most_limiting"]
{'code': 'language', 'label': 'speaks a language the person speaks', 'removes': 1}
"""

from __future__ import annotations

from datetime import date

import numpy as np

from betterway_map.domain.matching.candidates import CODES, Table
from betterway_map.domain.matching.constraints import CONSTRAINTS
from betterway_map.domain.matching.model import Need, Offer
from betterway_map.domain.matching.unmatched import blocking

__all__ = ["feasibility"]

_LABELS = dict(CONSTRAINTS)


def feasibility(need: Need, offers: list[Offer], today: date) -> dict:
    """``{"volunteers", "fitting", "removed_by", "most_limiting"}``.

    ``removed_by`` counts, for each rule, the volunteers it removes on its
    own (they break it); ``most_limiting`` is the rule that removes the most
    (the first in ``CONSTRAINTS`` among equals), or None when none removes any.
    """
    offers = sorted((o for o in offers if o.capacity > 0), key=lambda o: o.id)
    if not offers:
        return {"volunteers": 0, "fitting": 0, "removed_by": {}, "most_limiting": None}
    passed, every = blocking(Table([need], offers, today), 0)
    removed = {code: int(np.count_nonzero(~passed[code])) for code in CODES}
    code = max(CODES, key=lambda c: (removed[c], -CODES.index(c)))
    most = None
    if removed[code]:
        most = {"code": code, "label": _LABELS[code], "removes": removed[code]}
    return {
        "volunteers": len(offers),
        "fitting": int(np.count_nonzero(every)),
        "removed_by": removed,
        "most_limiting": most,
    }
