"""Support for the ORUK tests: the vendored ORUK JSON Schemas as validators
with formats checked, and a small known area to filter.

    body = client.get("/oruk/services").get_json()
    check(body, "service_list", paged=True)   # raises listing every problem
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.factories.nearby import add_postcode, space_at
from tests.factories.organisations import make_group, make_organisation

__all__ = ["SCHEMAS", "BASE", "OPENAPI", "FORMATS", "check", "known_area", "KNOWN_NAMES"]

SCHEMAS = Path(__file__).resolve().parents[1] / "interop" / "oruk_schemas"
# Where the ORUK OpenAPI says the schemas are; relative $refs resolve from here.
BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI = json.loads((SCHEMAS / "openapi.json").read_text())
_FILES = {
    "service": "compiled/service.json",
    "service_list": "compiled/service_list.json",
    "service_at_location": "compiled/service_at_location.json",
    "service_at_location_list": "compiled/service_at_location_list.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
}
# datapackage_type date and time are not JSON Schema formats: checked here too.
DATE_FIELDS = {"assured_date", "dtstart", "valid_from", "valid_to"}
TIME_FIELDS = {"opens_at", "closes_at"}


def _registry() -> Registry:
    resources = []
    for path in _FILES.values():
        contents = json.loads((SCHEMAS / Path(path).name).read_text())
        resources.append((BASE + path, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()

FORMATS = FormatChecker()  # uri, date-time, uuid and the rest, from jsonschema


@FORMATS.checks("email", raises=EmailNotValidError)
def _email(text) -> bool:
    """Stricter than jsonschema's (which asks only for an @)."""
    return not isinstance(text, str) or bool(validate_email(text, check_deliverability=False))


def _validator(name: str) -> Draft202012Validator:
    item = {"$ref": BASE + _FILES[name]}
    return Draft202012Validator(item, registry=REGISTRY, format_checker=FORMATS)


def _page_validator(item_name: str) -> Draft202012Validator:
    page = OPENAPI["components"]["schemas"]["Page"]
    schema = {
        **page,
        "required": sorted(page["properties"]) + ["contents"],
        "properties": {
            **page["properties"],
            "contents": {"type": "array", "items": {"$ref": BASE + _FILES[item_name]}},
        },
    }
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)


def _plain_problems(body, where: str = "") -> list[str]:
    """Nulls anywhere, and dates and times that are not ISO 8601."""
    problems = []
    if isinstance(body, dict):
        for key, value in body.items():
            at = f"{where}/{key}"
            if value is None:
                problems.append(f"{at} is null (leave it out instead)")
            elif key in DATE_FIELDS and not _parses(date.fromisoformat, value):
                problems.append(f"{at} {value!r} is not a date")
            elif key in TIME_FIELDS and not _parses(time.fromisoformat, value):
                problems.append(f"{at} {value!r} is not a time")
            problems.extend(_plain_problems(value, at))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            problems.extend(_plain_problems(value, f"{where}/{index}"))
    return problems


def _parses(parse, value) -> bool:
    try:
        parse(value)
    except (TypeError, ValueError):
        return False
    return True


def check(body, name: str, *, paged: bool = False) -> None:
    """Fail, listing every problem, unless ``body`` is valid ORUK ``name``
    (a page of them when ``paged``)."""
    validator = _page_validator(name) if paged else _validator(name)
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
        for error in validator.iter_errors(body)
    ]
    problems += _plain_problems(body)
    assert not problems, f"not a valid ORUK {name}:\n" + "\n".join(problems)


# The groups of ``known_area`` that are services, by name (the order lists use).
KNOWN_NAMES = ["Choir", "Lunch club", "Online quiz", "Walking club"]


def known_area(app) -> dict:
    """Two organisations, two spaces (0.5 km and 20 km north of the
    gazetteer's ZZ1 1AA) and six groups, four of them active::

        Choir         near  Tue 10-12 weekly       music        older_people  50-90  org A
        Lunch club    near  last Fri 12-14 monthly cooking, social  older_people  65-  org B
        Walking club  far   Thu 14-15:30 fortnightly walking    everyone      -      org B
        Online quiz   online Wed 19-20 weekly      games        (none)        -      org A
        Paused choir (paused) and Ended knitting (ended): not services.

    Only the Choir was changed after 2026-01-01. Returns the ids by name.
    """
    add_postcode(app)
    org_a = make_organisation(
        app,
        name="Eastbrook Friends",
        description="Friendly groups for all.",
        website="https://friends.example.org",
        contact_email="hello@friends.example.org",
    )
    org_b = make_organisation(app, name="Riverside Trust")
    near = space_at(app, org_a, km=0.5, name="Near Hall", address="2 Mill Lane, Eastbrook")
    near_b = space_at(app, org_b, km=0.6, name="Riverside Room")
    far = space_at(app, org_b, km=20, name="Far Barn")
    old, new = datetime(2025, 6, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
    ids = {"org_a": org_a, "org_b": org_b, "near": near, "far": far}
    ids["Choir"] = make_group(
        app,
        org_a,
        near,
        name="Choir",
        description="We sing together.",
        interests=["music"],
        audiences=["older_people"],
        age_min=50,
        age_max=90,
        cost_pence=250,
        contact_email="choir@friends.example.org",
        details_checked_on=date(2026, 5, 1),
        updated_at=new,
    )
    ids["Lunch club"] = make_group(
        app,
        org_b,
        near_b,
        name="Lunch club",
        frequency="monthly",
        nth=-1,
        weekday="fri",
        start_time=time(12),
        end_time=time(14),
        interests=["cooking", "social"],
        audiences=["older_people"],
        age_min=65,
        updated_at=old,
    )
    ids["Walking club"] = make_group(
        app,
        org_b,
        far,
        name="Walking club",
        frequency="fortnightly",
        weekday="thu",
        start_time=time(14),
        end_time=time(15, 30),
        interests=["walking"],
        updated_at=old,
    )
    ids["Online quiz"] = make_group(
        app,
        org_a,
        None,
        name="Online quiz",
        weekday="wed",
        start_time=time(19),
        end_time=time(20),
        interests=["games"],
        audiences=[],
        updated_at=old,
    )
    ids["Paused choir"] = make_group(app, org_a, near, name="Paused choir", status="paused")
    ids["Ended knitting"] = make_group(app, org_a, near, name="Ended knitting", status="ended")
    return ids
