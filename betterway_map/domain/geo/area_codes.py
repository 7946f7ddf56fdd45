"""Which system of area codes a code seems to belong to, from its pattern alone.

Used to explain an import whose two files do not match ("the values use
LSOA codes, the boundaries MSOA codes"). The ONS's GSS codes are a letter
for the nation, two digits for the kind of area and six digits; postcode
districts and sectors are told by their shape. A pattern cannot tell a 2011
LSOA from a 2021 one (most codes are in both): the year comes from a column
or property name where there is one (``code_system_name``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

__all__ = ["UNKNOWN", "guess_code_system", "describe_code_systems", "code_system_name"]

UNKNOWN = "unrecognised codes"

# GSS entity prefixes (ONS Register of Geographic Codes) that small-area
# indicators are published for.
_GSS = {
    "E01": "LSOA (England)",
    "W01": "LSOA (Wales)",
    "E02": "MSOA (England)",
    "W02": "MSOA (Wales)",
    "S01": "data zone (Scotland)",
    "S02": "intermediate zone (Scotland)",
    "N20": "Super Data Zone (Northern Ireland)",
    "95": "Super Output Area (Northern Ireland)",
    "E00": "output area (England)",
    "W00": "output area (Wales)",
    "E05": "electoral ward (England)",
    "W05": "electoral ward (Wales)",
    "E06": "local authority (unitary, England)",
    "E07": "local authority (district, England)",
    "E08": "local authority (metropolitan district, England)",
    "E09": "local authority (London borough)",
    "W06": "local authority (Wales)",
    "S12": "local authority (Scotland)",
    "E10": "county (England)",
}
_GSS_CODE = re.compile(r"^([ENSW]\d\d)\d{6}$")
_NI_SOA = re.compile(r"^95[A-Z]{2}\d{2}[A-Z0-9]{0,2}$")
_OUTWARD = r"(?:ZZ|[A-PR-UWYZ][A-HK-Y]?)\d[\dA-HJKMNPR-Y]?"
_DISTRICT = re.compile(rf"^{_OUTWARD}$")
_SECTOR = re.compile(rf"^{_OUTWARD} ?\d$")
_YEAR = re.compile(r"(?:^|[^0-9])(11|21|2011|2021)(?:cd|code|_|$)", re.IGNORECASE)


def guess_code_system(code: str) -> str:
    """The kind of area ``code`` seems to name, or ``UNKNOWN``.

    Examples
    --------
    >>> guess_code_system("E01000001")
    'LSOA (England)'
    >>> guess_code_system("e02000001"), guess_code_system("W01000010")
    ('MSOA (England)', 'LSOA (Wales)')
    >>> guess_code_system("S01006506"), guess_code_system("E09000033")
    ('data zone (Scotland)', 'local authority (London borough)')
    >>> guess_code_system("E06000001"), guess_code_system("E07000008")
    ('local authority (unitary, England)', 'local authority (district, England)')
    >>> guess_code_system("ZZ8"), guess_code_system("SW1A 2"), guess_code_system("E13 8")
    ('postcode district', 'postcode sector', 'postcode sector')
    >>> guess_code_system("Hillside"), guess_code_system("E0100001")
    ('unrecognised codes', 'unrecognised codes')
    """
    text = " ".join(str(code).split()).upper()
    match = _GSS_CODE.match(text)
    if match:
        return _GSS.get(match.group(1), f"ONS {match.group(1)} code")
    if _NI_SOA.match(text):
        return _GSS["95"]
    if _DISTRICT.match(text):
        return "postcode district"
    if _SECTOR.match(text):
        return "postcode sector"
    return UNKNOWN


def describe_code_systems(codes: Iterable[str], examples: int = 3) -> str:
    """The code systems of ``codes``, commonest first, with a few examples.

    >>> describe_code_systems(["E01000001", "E01000002", "E02000003"])
    'LSOA (England) (2 codes, e.g. E01000001, E01000002); MSOA (England) (1 code, e.g. E02000003)'
    >>> describe_code_systems([])
    'no codes'
    """
    by_system: dict[str, list[str]] = {}
    for code in codes:
        by_system.setdefault(guess_code_system(code), []).append(str(code))
    if not by_system:
        return "no codes"
    counts = Counter({system: len(found) for system, found in by_system.items()})
    parts = []
    for system, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        shown = ", ".join(by_system[system][:examples])
        parts.append(f"{system} ({count} code{'s' if count != 1 else ''}, e.g. {shown})")
    return "; ".join(parts)


def code_system_name(codes: Iterable[str], column: str = "") -> str:
    """The one name to record for an indicator's codes: the commonest system,
    with the census year when the column's name gives it (``LSOA21CD``).

    >>> code_system_name(["E01000001", "E01000002"], "LSOA21CD")
    'LSOA (England) 2021'
    >>> code_system_name(["E01000001", "W01000002"], "code")
    'LSOA (England)'
    """
    counts = Counter(guess_code_system(code) for code in codes)
    if not counts:
        return UNKNOWN
    system = min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    year = _YEAR.search(column or "")
    if year and system != UNKNOWN:
        digits = year.group(1)
        system += f" {'20' + digits if len(digits) == 2 else digits}"
    return system
