"""Persistence: typed SQLAlchemy models. Models never commit."""

from .accounts import AuditEvent, User, UserRole, UserSession
from .gazetteer import GeocodeCache, PostcodePoint
from .network import NetworkReportCache, NetworkSnapshot
from .organisations import Group, Organisation, OrganisationAdmin, Partnership, Space
from .people import (
    Assignment,
    Attendance,
    Consent,
    HelpListing,
    LonelinessMeasure,
    Person,
    Tie,
    VolunteerProfile,
)

__all__ = [
    "Assignment",
    "Attendance",
    "AuditEvent",
    "Consent",
    "GeocodeCache",
    "Group",
    "HelpListing",
    "LonelinessMeasure",
    "NetworkReportCache",
    "NetworkSnapshot",
    "Organisation",
    "OrganisationAdmin",
    "Partnership",
    "Person",
    "PostcodePoint",
    "Space",
    "Tie",
    "User",
    "UserRole",
    "UserSession",
    "VolunteerProfile",
]
