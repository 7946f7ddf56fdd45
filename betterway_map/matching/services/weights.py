"""The weights of the soft scores: the defaults (``model.Weights``), each
overridden by a site admin's ``MatchingWeight`` row."""

from __future__ import annotations

import math
from dataclasses import replace

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.matching.model import WEIGHT_NAMES, Weights
from betterway_map.errors import Forbidden, InvalidInput
from betterway_map.extensions import db
from betterway_map.matching.models import MatchingWeight

__all__ = ["current_weights", "set_weights", "check_weights", "LOWEST", "HIGHEST"]

LOWEST, HIGHEST = 0.0, 10.0


def current_weights() -> Weights:
    """The weights in force."""
    rows = db.session.execute(select(MatchingWeight.name, MatchingWeight.value))
    found = {name: value for name, value in rows if name in WEIGHT_NAMES}
    return replace(Weights(), **found)


def check_weights(data: dict) -> dict[str, float]:
    """The weights in ``data`` as numbers, or ``InvalidInput`` naming each bad value."""
    errors: dict[str, list[str]] = {}
    checked = {}
    for name, value in data.items():
        if name not in WEIGHT_NAMES:
            errors[name] = [f"{name!r} is not a weight: expected one of {', '.join(WEIGHT_NAMES)}."]
            continue
        number = value
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        if isinstance(number, bool) or not isinstance(number, int | float):
            number = None
        if number is None or not math.isfinite(number) or not LOWEST <= number <= HIGHEST:
            errors[name] = [
                f"{value!r} is not a weight: give a number from {LOWEST:g} to {HIGHEST:g}."
            ]
            continue
        checked[name] = float(number)
    if errors:
        raise InvalidInput("Some weights are not numbers from 0 to 10.", errors)
    return checked


def set_weights(user: User, data: dict) -> Weights:
    """Change some weights (site admins only); all or nothing."""
    if not user.has_role("site_admin"):
        raise Forbidden("Only a site admin changes the matching weights.")
    checked = check_weights(data)
    for name, value in checked.items():
        row = db.session.get(MatchingWeight, name)
        if row is None:
            db.session.add(MatchingWeight(name=name, value=value, updated_by_id=user.id))
        else:
            row.value, row.updated_by_id = value, user.id
    detail = " ".join(f"{name}={value:g}" for name, value in sorted(checked.items()))
    audit.record(user.id, "update", "matching_weights", None, detail or "no change")
    db.session.commit()
    return current_weights()
