"""Everything held about a resident, in words: the sections, labels and values
that the data page and the PDF both show, so the two always say the same.

Takes the plain dict of ``services.directory.export_own_data`` (the JSON
download) and turns its keys and stored codes into plain English said to the
person ("you", never "they"), its dates into the house format
(``domain.dates``). A key added to a model later still appears, under a label
made from its name. No Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from betterway_map.domain import vocab
from betterway_map.domain.dates import long_date, moment
from betterway_map.domain.measures import loneliness

__all__ = ["Entry", "Section", "DataReport", "data_report", "TITLE"]

TITLE = "Everything we hold about you"

# The sections that list records, in the order of the export: title, and what
# one record is called (numbered in the PDF).
LISTS = {
    "consents": ("What you agreed to", "Agreement"),
    "workers": ("Your community workers", "Community worker"),
    "loneliness_measures": ("Your answers about loneliness", "Answers"),
    "ties": ("People you are in touch with", "Person"),
    "groups_attended": ("Groups you go to", "Group"),
    "offers_and_requests": ("Help you offer or ask for", "Offer or request"),
    "ties_others_recorded": ("Other people on the register who are in touch with you", "Tie"),
    "requests_for_support": ("Your requests for support", "Request"),
    "volunteer_offer": ("What you offer as a volunteer", "Offer"),
    "matches": ("Your matches", "Match"),
    "messages": ("Messages to you", "Message"),
    "audit_entries": ("Who looked at or changed your records", "Entry"),
}

LABELS = {
    # account
    "email": "Email address",
    "display_name": "Name shown on the site",
    "roles": "Account type",
    # profile
    "id": "Record number",
    "user_id": "Your account number",
    "person_id": "Your record number",
    "first_name": "First name",
    "last_name": "Last name",
    "age_band": "Age",
    "postcode": "Postcode",
    "latitude": "Where your postcode is: latitude",
    "longitude": "Where your postcode is: longitude",
    "address": "Address",
    "phone": "Phone",
    "interests": "Interests",
    "languages": "Languages",
    "availability": "When you are free",
    "travel_km": "How far you can travel",
    "lives_alone": "You live alone",
    "marital_status": "Marital status",
    "general_health": "Your health in general",
    "what_would_help": "What would help you",
    "registered_by_id": "Registered by (account number)",
    "created_at": "Made",
    "updated_at": "Last changed",
    # records
    "recorded_by_id": "Recorded by (account number)",
    "recorded_at": "Recorded",
    "purpose": "What you agreed to",
    "method": "How you agreed",
    "given_on": "Agreed on",
    "withdrawn_on": "Withdrawn on",
    "notes": "Notes",
    "worker_id": "Community worker (account number)",
    "assigned_at": "Your worker since",
    "assigned_by_id": "Assigned by (account number)",
    "measured_on": "Date answered",
    **dict(loneliness.UCLA_ITEMS),
    "ucla_total": "The three questions about how you feel: total (3 to 9, higher is lonelier)",
    "direct": loneliness.DIRECT_QUESTION,
    "other_person_id": "Also on the register (record number)",
    "other_label": "Who",
    "contact_frequency": "How often you are in touch",
    "last_contact_on": "Last in touch",
    "group_id": "Group number",
    "since": "Going since",
    "last_attended_on": "Last went",
    "direction": "Offer or ask",
    "description": "More about it",
    "status": "Status",
    "dbs_status": "DBS check",
    "dbs_checked_on": "Date of the DBS certificate",
    "dbs_expires_on": "DBS check expires on",
    "dbs_recorded_by_id": "DBS check recorded by (account number)",
    "lived_experience": "Experience to share",
    "capacity": "Number of people you can support at once",
    "active": "Active: can take on someone now",
    "your_part": "Your part",
    "other_side_first_name": "The other person (first name)",
    "history": "What happened",
    "action": "What was done",
    "record": "To which record",
    "by": "By",
    "detail": "Detail",
    "at": "When",
    "sent_at": "Sent",
    "from": "From",
    "subject": "Subject",
    "body": "Message",
}
# Where one key means different things in different sections.
SECTION_LABELS = {
    ("ties", "kind"): "Who they are to you",
    ("offers_and_requests", "kind"): "Kind of help",
    ("groups_attended", "status"): "Going",
}

_UCLA = tuple((value, label) for value, label in loneliness.UCLA_ANSWERS)
VOCABULARIES = {
    "roles": vocab.ROLES,
    "age_band": vocab.AGE_BANDS,
    "interests": vocab.INTERESTS,
    "languages": vocab.LANGUAGES,
    "availability": vocab.AVAILABILITY,
    "marital_status": vocab.MARITAL_STATUSES,
    "general_health": vocab.GENERAL_HEALTH,
    "purpose": vocab.CONSENT_PURPOSES_OWN,
    "method": vocab.CONSENT_METHODS,
    **{name: _UCLA for name, _ in loneliness.UCLA_ITEMS},
    "direct": loneliness.DIRECT_ANSWERS,
    "contact_frequency": vocab.CONTACT_FREQUENCIES,
    "direction": (("offer", "Offer of help"), ("request", "Asking for help")),
    "dbs_status": vocab.DBS_STATUSES,
    "lived_experience": vocab.LIVED_EXPERIENCE,
}
SECTION_VOCABULARIES = {
    ("ties", "kind"): vocab.TIE_KINDS,
    ("offers_and_requests", "kind"): vocab.HELP_KINDS,
    ("offers_and_requests", "status"): vocab.LISTING_STATUSES,
    ("groups_attended", "status"): (
        ("member", "Yes"),
        ("interested", "You would like to go"),
        ("left", "No longer"),
    ),
}
# What an empty value means, where "Not given" would mislead.
EMPTY = {
    "withdrawn_on": "Not withdrawn",
    "last_contact_on": "Not known",
    "ucla_total": "Not answered",
    "direct": "Not answered",
    **{name: "Not answered" for name, _ in loneliness.UCLA_ITEMS},
}


@dataclass(frozen=True)
class Entry:
    """One value, labelled: ("Agreed on", "Tuesday 8 December 2026")."""

    label: str
    text: str


@dataclass(frozen=True)
class Section:
    """A heading and either one record's entries or a list of records."""

    title: str
    entries: tuple[Entry, ...] = ()
    records: tuple[tuple[Entry, ...], ...] = ()
    record_name: str = ""
    is_list: bool = False


@dataclass(frozen=True)
class DataReport:
    made: str
    sections: tuple[Section, ...]
    has_profile: bool
    note: str


def data_report(export: dict) -> DataReport:
    """The export in words, section by section.

    >>> report = data_report({"exported_at": "2026-12-08T14:00:00+00:00",
    ...     "account": {"email": "zoe@example.org", "roles": ["resident"]},
    ...     "person": None, "note": "Ask us."})
    >>> report.made
    'Tuesday 8 December 2026, 2pm'
    >>> report.sections[0].title, report.sections[0].entries
    ('Your account', (Entry(label='Email address', text='zoe@example.org'), Entry(label='Account type', text='Resident')))
    """
    sections = [Section("Your account", _entries("account", export.get("account") or {}))]
    person = export.get("person")
    if person:
        plain = {
            key: value
            for key, value in person.items()
            if key not in LISTS and key != "volunteer" and not isinstance(value, dict)
        }
        sections.append(Section("Your profile", _entries("person", plain)))
        if person.get("volunteer"):
            sections.append(Section("Volunteering", _entries("volunteer", person["volunteer"])))
        for key, rows in person.items():
            if key in LISTS or (isinstance(rows, list) and rows and isinstance(rows[0], dict)):
                title, record_name = LISTS.get(key, (_label_from_key(key), "Record"))
                records = tuple(_entries(key, row) for row in rows)
                sections.append(
                    Section(title, records=records, record_name=record_name, is_list=True)
                )
    return DataReport(
        made=_text("exported_at", export.get("exported_at")),
        sections=tuple(sections),
        has_profile=bool(person),
        note=str(export.get("note") or ""),
    )


def _entries(section: str, record: dict) -> tuple[Entry, ...]:
    return tuple(
        Entry(_label(section, key), _text(key, value, section)) for key, value in record.items()
    )


def _label_from_key(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _label(section: str, key: str) -> str:
    return SECTION_LABELS.get((section, key)) or LABELS.get(key) or _label_from_key(key)


def _text(key: str, value, section: str = "") -> str:
    """A stored value as a person reads it."""
    if value is None or value == "" or value == []:
        return EMPTY.get(key, "None" if isinstance(value, list) else "Not given")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return "; ".join(f"{_label(section, k)}: {_text(k, v, section)}" for k, v in value.items())
    words = vocab.labels(SECTION_VOCABULARIES.get((section, key)) or VOCABULARIES.get(key, ()))
    if isinstance(value, list):
        return ", ".join(str(words.get(item, item)) for item in value)
    if key == "travel_km" and isinstance(value, int | float):
        return f"{value:g} km"
    if isinstance(value, str) and (key.endswith("_on") or key == "since"):
        return _date_text(value)
    if isinstance(value, str) and key.endswith("_at"):
        return _moment_text(value)
    return str(words.get(value, value))


def _date_text(value: str) -> str:
    try:
        return long_date(date.fromisoformat(value))
    except ValueError:
        return value


def _moment_text(value: str) -> str:
    """Stored moments are UTC, whether or not the text says so."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment(when if when.tzinfo else when.replace(tzinfo=UTC))
