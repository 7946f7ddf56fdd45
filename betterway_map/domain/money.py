"""Money as people type it and read it: amounts are stored in whole pence."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["MoneyError", "format_pence", "pounds_to_pence"]


class MoneyError(ValueError):
    """Text that is not an amount of money; the message quotes it."""


def pounds_to_pence(value: str, label: str = "Cost") -> int | None:
    """Pounds and pence as typed on a page (``"3.50"``, ``"£3"``) -> pence.

    Empty text means "not given" (None). Raises ``MoneyError`` naming the
    text when it is not an amount of money.

    >>> pounds_to_pence("£3.50")
    350
    >>> pounds_to_pence("0") == 0 and pounds_to_pence("") is None
    True
    """
    cleaned = (value or "").strip().replace(",", "").removeprefix("£").strip()
    if cleaned == "":
        return None
    message = f"{label} must be an amount in pounds and pence, e.g. 3.50, not {value!r}."
    if not re.fullmatch(r"\d{1,6}(\.\d{1,2})?", cleaned):
        raise MoneyError(message)
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes this
        raise MoneyError(message) from None


def format_pence(pence: int | None, *, free: str = "Free") -> str:
    """Pence as people read money.

    >>> format_pence(0), format_pence(350), format_pence(1200)
    ('Free', '£3.50', '£12.00')
    """
    if pence is None:
        return ""
    if pence == 0:
        return free
    return f"£{pence // 100:,}.{pence % 100:02d}"
