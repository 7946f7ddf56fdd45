"""Controlled vocabularies of the register.

Each vocabulary is a tuple of ``(value, label)`` pairs: the value is what is
stored and sent through the API, the label is the plain-English text shown to
people. Pure data, no Flask: the schemas, the forms, the demo generator and the
reports all read from here so that a value means one thing everywhere.
"""

from __future__ import annotations

__all__ = [
    "ROLES",
    "AGE_BANDS",
    "SECTORS",
    "INTERESTS",
    "LANGUAGES",
    "AVAILABILITY",
    "HELP_KINDS",
    "AUDIENCES",
    "GROUP_STATUSES",
    "RECURRENCE_FREQUENCIES",
    "WEEKDAYS",
    "NTH_WEEKDAY",
    "TIE_KINDS",
    "CONTACT_FREQUENCIES",
    "PARTNERSHIP_KINDS",
    "DBS_STATUSES",
    "LIVED_EXPERIENCE",
    "CONSENT_PURPOSES",
    "CONSENT_PURPOSES_OWN",
    "CONSENT_METHODS",
    "ERASURE_REASONS",
    "MARITAL_STATUSES",
    "GENERAL_HEALTH",
    "LISTING_STATUSES",
    "SUPPORT_FREQUENCIES",
    "REQUEST_STATUSES",
    "VOLUNTEER_GENDERS",
    "MATCH_STATUSES",
    "MATCH_ENDINGS",
    "RELATIONSHIP_KINDS",
    "CONTACT_MODES",
    "FEEDBACK_SIDES",
    "FEEDBACK_OCCASIONS",
    "values",
    "labels",
]

ROLES = (
    ("resident", "Resident"),
    ("org_admin", "Organisation admin"),
    ("worker", "Community worker"),
    ("council", "Council viewer"),
    ("site_admin", "Site admin"),
)

# ONS harmonised age bands, adults only: the register does not hold children.
AGE_BANDS = (
    ("18-24", "18 to 24"),
    ("25-34", "25 to 34"),
    ("35-49", "35 to 49"),
    ("50-64", "50 to 64"),
    ("65-74", "65 to 74"),
    ("75-84", "75 to 84"),
    ("85+", "85 or over"),
)

SECTORS = (
    ("voluntary", "Voluntary or community"),
    ("faith", "Faith"),
    ("public", "Public sector"),
    ("health", "Health"),
    ("business", "Business"),
    ("informal", "Informal group"),
)

INTERESTS = (
    ("arts_crafts", "Arts and crafts"),
    ("books", "Books and reading"),
    ("cooking", "Cooking and food"),
    ("dance", "Dance"),
    ("digital", "Computers and phones"),
    ("exercise", "Exercise and keeping fit"),
    ("faith", "Faith and worship"),
    ("gardening", "Gardening and nature"),
    ("games", "Games and quizzes"),
    ("history", "Local history"),
    ("language", "Languages and conversation"),
    ("music", "Music and singing"),
    ("outings", "Trips and outings"),
    ("social", "Coffee and a chat"),
    ("support", "Support and wellbeing"),
    ("walking", "Walking"),
    ("volunteering", "Volunteering"),
)

LANGUAGES = (
    ("en", "English"),
    ("cy", "Welsh"),
    ("pl", "Polish"),
    ("pa", "Punjabi"),
    ("ur", "Urdu"),
    ("bn", "Bengali"),
    ("gu", "Gujarati"),
    ("ar", "Arabic"),
    ("ro", "Romanian"),
    ("so", "Somali"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("zh", "Chinese"),
    ("bsl", "British Sign Language"),
)

WEEKDAYS = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)

_PARTS_OF_DAY = (("am", "morning"), ("pm", "afternoon"), ("eve", "evening"))

# When someone is free: a weekday and a part of the day, e.g. "tue_am".
AVAILABILITY = tuple(
    (f"{day}_{part}", f"{day_label} {part_label}")
    for day, day_label in WEEKDAYS
    for part, part_label in _PARTS_OF_DAY
)

HELP_KINDS = (
    ("befriending_phone", "Befriending by phone"),
    ("befriending_visit", "Befriending visits"),
    ("shopping", "Shopping"),
    ("lifts", "Lifts"),
    ("digital", "Help with computers and phones"),
    ("go_along", "Going along to a group"),
    ("gardening", "Gardening"),
    ("other", "Other"),
)

AUDIENCES = (
    ("everyone", "Everyone"),
    ("older_people", "Older people"),
    ("carers", "Carers"),
    ("parents", "Parents"),
)

GROUP_STATUSES = (
    ("active", "Active"),
    ("paused", "Paused"),
    ("ended", "Ended"),
)

RECURRENCE_FREQUENCIES = (
    ("weekly", "Every week"),
    ("fortnightly", "Every two weeks"),
    ("monthly", "Monthly, on the nth weekday"),
)

NTH_WEEKDAY = (
    (1, "First"),
    (2, "Second"),
    (3, "Third"),
    (4, "Fourth"),
    (-1, "Last"),
)

TIE_KINDS = (
    ("family", "Family"),
    ("friend", "Friend"),
    ("neighbour", "Neighbour"),
    ("professional", "Professional (paid worker or organisation)"),
)

CONTACT_FREQUENCIES = (
    ("daily", "Every day or most days"),
    ("weekly", "At least once a week"),
    ("monthly", "At least once a month"),
    ("less", "Less than once a month"),
    ("never", "No contact now"),
)

PARTNERSHIP_KINDS = (
    ("joint_work", "Joint work"),
    ("referral", "Referrals"),
    ("shared_space", "Shared space"),
)

DBS_STATUSES = (
    ("none", "No check"),
    ("applied", "Applied for"),
    ("basic", "Basic check clear"),
    ("enhanced", "Enhanced check clear"),
    ("expired", "Expired"),
)

LIVED_EXPERIENCE = (
    ("bereavement", "Bereavement"),
    ("caring", "Caring for someone"),
    ("disability", "Disability"),
    ("long_term_illness", "Long-term illness"),
    ("mental_health", "Mental health"),
    ("migration", "Moving to the UK"),
    ("moving_area", "Moving to a new area"),
    ("retirement", "Retirement"),
    ("sight_hearing", "Sight or hearing loss"),
    ("homelessness", "Homelessness"),
)

CONSENT_PURPOSES = (
    ("register", "Keep their details on the register"),
    ("matching", "Be matched with a volunteer"),
    ("share_with_groups", "Share their first name with groups they join"),
    ("contact", "Be contacted by phone or letter"),
    ("measures", "Record their answers to the questions about loneliness"),
    ("publish_offer", "Show their first name with an offer of help they make"),
)

# The same purposes, said to the person themself (their own profile and data).
CONSENT_PURPOSES_OWN = (
    ("register", "Keep your details on the register"),
    ("matching", "Be matched with a volunteer"),
    ("share_with_groups", "Share your first name with the groups you join"),
    ("contact", "Be contacted by phone or letter"),
    ("measures", "Record your answers to the questions about loneliness"),
    ("publish_offer", "Show your first name with an offer of help you make"),
)

# Why a person's records were erased: a choice, never free text, so that the
# audit entry of an erasure can hold no detail about the person.
ERASURE_REASONS = (
    ("asked", "The person asked for their records to be erased"),
    ("consent_withdrawn", "They withdrew their consent to be on the register"),
    ("no_longer_needed", "The records are no longer needed (retention review)"),
    ("other_lawful", "Another lawful reason, recorded outside this site"),
)

CONSENT_METHODS = (
    ("verbal", "Verbal"),
    ("written", "Written"),
    ("online", "Online"),
)

MARITAL_STATUSES = (
    ("single", "Single"),
    ("married", "Married or civil partnership"),
    ("cohabiting", "Living with a partner"),
    ("separated", "Separated or divorced"),
    ("widowed", "Widowed"),
)

# The ONS self-rated general health question.
GENERAL_HEALTH = (
    ("very_good", "Very good"),
    ("good", "Good"),
    ("fair", "Fair"),
    ("bad", "Bad"),
    ("very_bad", "Very bad"),
)

LISTING_STATUSES = (
    ("open", "Open"),
    ("matched", "Matched"),
    ("closed", "Closed"),
)


# How often a request for support is for; "once" is not regular support.
SUPPORT_FREQUENCIES = (
    ("weekly", "Every week"),
    ("fortnightly", "Every two weeks"),
    ("monthly", "Every month"),
    ("once", "Once"),
)

REQUEST_STATUSES = (
    ("open", "Waiting for a match"),
    ("matched", "Matched"),
    ("closed", "Closed"),
)

# Recorded only for a person's stated preference of volunteer.
VOLUNTEER_GENDERS = (
    ("woman", "A woman"),
    ("man", "A man"),
)

MATCH_STATUSES = (
    ("proposed", "Proposed"),
    ("agreed", "Agreed by both, waiting for a worker's approval"),
    ("active", "Active"),
    ("ended", "Ended"),
    ("declined", "Declined"),
    ("superseded", "Replaced by another match"),
    ("withdrawn", "Withdrawn by a worker"),
)

MATCH_ENDINGS = (
    ("planned", "Planned"),
    ("unplanned", "Unplanned"),
)


# The relationships contacts, rhythms and feedback belong to (measures.models).
RELATIONSHIP_KINDS = (
    ("match", "A volunteer match"),
    ("group", "A group the person goes to"),
    ("caseload", "A community worker's support"),
)

CONTACT_MODES = (
    ("phone", "Phone call"),
    ("visit", "Visit"),
    ("group", "At a group"),
    ("online", "Online"),
)

FEEDBACK_SIDES = (
    ("person", "The person supported"),
    ("volunteer", "The volunteer"),
    ("worker", "The community worker"),
)

FEEDBACK_OCCASIONS = (
    ("first_review", "The six-week review"),
    ("six_monthly", "A six-monthly review"),
    ("other", "Another time"),
)


def values(vocabulary) -> tuple:
    """The stored values of a vocabulary, in order.

    >>> values(GROUP_STATUSES)
    ('active', 'paused', 'ended')
    """
    return tuple(value for value, _ in vocabulary)


def labels(vocabulary) -> dict:
    """A mapping from stored value to label.

    >>> labels(SECTORS)["faith"]
    'Faith'
    """
    return dict(vocabulary)
