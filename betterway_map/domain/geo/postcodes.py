"""UK postcodes: normalising and validating.

A full postcode is an outward code (area, district) and an inward code
(sector digit and unit letters): ``"E13 8QS"``. People type them in any case
and with any spacing, so everything here works on the normalised form: upper
case with one space before the inward code.

The fictional demo area uses the outward codes ``ZZ1`` to ``ZZ9``: ``ZZ`` is
not a postal area, so a demo postcode can never be mistaken for a real one.
"""

from __future__ import annotations

import re

__all__ = [
    "PostcodeError",
    "normalise_postcode",
    "is_fictional",
    "FICTIONAL_AREA",
]

FICTIONAL_AREA = "ZZ"

# Royal Mail's format rules, simplified to the letters that may stand where:
# area 1–2 letters, district a digit then an optional digit or letter, inward
# a digit and two letters (never C, I, K, M, O or V).
# "ZZ" is let through for the fictional demo area (see FICTIONAL_AREA).
_OUTWARD = r"(?:ZZ|[A-PR-UWYZ][A-HK-Y]?)[0-9][0-9A-HJKMNPR-Y]?"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_FULL = re.compile(rf"^({_OUTWARD})({_INWARD})$")
# GIR 0AA is the one historic exception still in the ONS files.
_SPECIAL = {"GIR0AA": "GIR 0AA"}


class PostcodeError(ValueError):
    """Text that is not a UK postcode."""


def normalise_postcode(text: str) -> str:
    """Return ``text`` as a full UK postcode in its standard form.

    Raises ``PostcodeError`` naming the text when it is not one.

    >>> normalise_postcode(" e13  8qs ")
    'E13 8QS'
    >>> normalise_postcode("sw1a1aa")
    'SW1A 1AA'
    """
    if not isinstance(text, str):
        raise PostcodeError(f"A postcode must be text, not {text!r}.")
    squashed = re.sub(r"\s+", "", text).upper()
    if squashed in _SPECIAL:
        return _SPECIAL[squashed]
    match = _FULL.match(squashed)
    if not match:
        raise PostcodeError(
            f"{text.strip()!r} is not a UK postcode: expected something like 'E13 8QS'."
        )
    return f"{match.group(1)} {match.group(2)}"


def is_fictional(postcode: str) -> bool:
    """True for postcodes of the fictional demo area.

    >>> is_fictional("ZZ3 4AB")
    True
    """
    return postcode.upper().startswith(FICTIONAL_AREA)


_OUTCODE_ONLY = re.compile(rf"^({_OUTWARD})$")


def parse_postcode_query(text: str) -> tuple[str, str]:
    """What a typed postcode is: ``("postcode", "E13 8QS")``, a sector
    ``("sector", "E13 8")`` or an outward code ``("outcode", "E13")``.

    Raises ``PostcodeError`` naming the text when it is none of them.

    >>> parse_postcode_query("e138qs")
    ('postcode', 'E13 8QS')
    >>> parse_postcode_query("E13 8")
    ('sector', 'E13 8')
    >>> parse_postcode_query(" sw1a ")
    ('outcode', 'SW1A')
    """
    if not isinstance(text, str):
        raise PostcodeError(f"A postcode must be text, not {text!r}.")
    squashed = re.sub(r"\s+", "", text).upper()
    if _FULL.match(squashed) or squashed in _SPECIAL:
        return "postcode", normalise_postcode(squashed)
    spaced = " ".join(text.upper().split())
    outward, _, rest = spaced.partition(" ")
    if rest and _OUTCODE_ONLY.match(outward) and len(rest) == 1 and rest.isdigit():
        return "sector", f"{outward} {rest}"
    # Without a space, "E11" is the district E11, never sector 1 of E1.
    if not rest and _OUTCODE_ONLY.match(squashed):
        return "outcode", squashed
    raise PostcodeError(
        f"{text.strip()!r} is not a UK postcode: expected a full postcode like 'E13 8QS', "
        "or the first part like 'E13', or a sector like 'E13 8'."
    )
