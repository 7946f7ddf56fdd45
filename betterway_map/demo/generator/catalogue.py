"""The parts demo organisations, spaces and groups are built from.

An ``Activity`` is a kind of group ("Lunch Club") with the interests it
serves, who it is for, when such groups usually meet, what they usually cost
and which sectors run them. Names and descriptions are put together from
these parts, so that "Tuesday Knit and Natter at St Mark's Church Hall" reads
like a real listing without copying any real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

__all__ = [
    "Activity",
    "ACTIVITIES",
    "CLUSTER_ORGANISATIONS",
    "ORGANISATION_NAMES",
    "ORGANISATION_BLURBS",
    "SPACE_NAMES",
    "SAINTS",
    "ROOMS",
    "GROUP_EXTRAS",
    "SECTOR_SHARES",
]

ALL = ("voluntary", "faith", "public", "health", "business", "informal")


@dataclass(frozen=True)
class Activity:
    """A kind of group and its usual shape.

    ``cost_pence`` is the (low, high) range of a paid session; ``free`` is the
    chance that a group of this kind is free; ``frequencies`` are weights for
    weekly, fortnightly and monthly.
    """

    name: str
    interests: tuple[str, ...]
    audiences: tuple[str, ...]
    blurb: str
    starts: tuple[time, ...]
    duration_min: int
    cost_pence: tuple[int, int]
    free: float
    sectors: tuple[str, ...] = ALL
    frequencies: tuple[float, float, float] = (0.75, 0.1, 0.15)
    tags: tuple[str, ...] = ()
    online: bool = False


_T = time
ACTIVITIES = (
    Activity("Lunch Club", ("social", "cooking"), ("older_people",), "A hot two-course lunch and good company", (_T(12),), 120, (300, 550), 0.1, ("voluntary", "faith", "public"), tags=("hot meal",)),
    Activity("Knit and Natter", ("arts_crafts", "social"), ("everyone",), "Bring your knitting, crochet or sewing, or learn from scratch", (_T(10), _T(14)), 120, (100, 200), 0.5, tags=("knitting", "crochet")),
    Activity("Memory Café", ("social", "support", "music"), ("older_people", "carers"), "A relaxed café for people living with memory loss and those who care for them", (_T(10, 30), _T(14)), 120, (100, 200), 0.7, ("voluntary", "faith", "health"), (0.4, 0.2, 0.4), ("dementia friendly",)),
    Activity("Walking for Health", ("walking", "exercise"), ("everyone",), "A gentle led walk of about an hour, at the pace of the slowest walker", (_T(10), _T(10, 30)), 90, (0, 0), 1.0, ("voluntary", "public", "health", "informal"), tags=("led walk",)),
    Activity("Chair Yoga", ("exercise", "support"), ("older_people",), "Gentle stretching and breathing, all done sitting down", (_T(10), _T(11), _T(14)), 60, (200, 450), 0.2, ("voluntary", "public", "health", "faith"), tags=("seated exercise",)),
    Activity("Community Choir", ("music",), ("everyone",), "No auditions and no need to read music: just come and sing", (_T(19), _T(14)), 90, (100, 300), 0.4, tags=("singing",)),
    Activity("Coffee Morning", ("social",), ("everyone",), "Tea, coffee, home-made cake and a chat", (_T(10), _T(10, 30)), 120, (50, 150), 0.5, tags=("cake",)),
    Activity("Digital Drop-in", ("digital",), ("everyone", "older_people"), "Bring your phone, tablet or laptop and get patient one-to-one help", (_T(10), _T(13, 30)), 120, (0, 0), 1.0, ("voluntary", "public", "business"), tags=("smartphones", "online forms")),
    Activity("Men's Shed", ("arts_crafts", "social"), ("everyone",), "A workshop where people make, mend and chat shoulder to shoulder", (_T(10),), 180, (100, 200), 0.4, ("voluntary", "informal"), tags=("woodwork",)),
    Activity("Tea Dance", ("dance", "music", "social"), ("older_people",), "Ballroom and sequence dancing, with tea and cake in the interval", (_T(14),), 120, (300, 500), 0.0, ("voluntary", "faith", "public", "business"), (0.4, 0.3, 0.3)),
    Activity("Book Club", ("books", "social"), ("everyone",), "We read a book a month and meet to talk about it", (_T(14), _T(19)), 90, (0, 0), 1.0, ("public", "informal", "business", "voluntary"), (0.0, 0.0, 1.0)),
    Activity("Bereavement Café", ("support", "social"), ("everyone",), "A gentle space to talk for anyone who has lost someone close", (_T(10, 30), _T(14)), 90, (0, 0), 1.0, ("voluntary", "faith", "health"), (0.2, 0.4, 0.4)),
    Activity("Carers' Coffee Morning", ("support", "social"), ("carers",), "Time out and a listening ear for unpaid carers", (_T(10),), 120, (0, 0), 1.0, ("voluntary", "health", "faith"), (0.3, 0.3, 0.4)),
    Activity("Stay and Play", ("social",), ("parents",), "Toys, songs and a cuppa for parents and carers with babies and toddlers", (_T(9, 30), _T(10)), 90, (100, 200), 0.5, ("voluntary", "faith", "public"), tags=("under fives",)),
    Activity("Gardening Club", ("gardening",), ("everyone",), "We grow vegetables and flowers together in the community garden", (_T(10), _T(14)), 150, (100, 100), 0.8, ("voluntary", "informal", "faith"), tags=("outdoors",)),
    Activity("Quiz Night", ("games", "social"), ("everyone",), "Teams of up to six; come on your own and we will find you a team", (_T(19), _T(19, 30)), 120, (100, 200), 0.2, ("business", "voluntary", "faith"), (0.4, 0.2, 0.4)),
    Activity("Local History Group", ("history",), ("everyone",), "Talks, old photographs and memories of the town", (_T(14), _T(19)), 90, (100, 300), 0.3, ("voluntary", "public", "informal"), (0.2, 0.2, 0.6)),
    Activity("English Conversation Club", ("language", "social"), ("everyone",), "Practise speaking English in a friendly, relaxed group", (_T(10), _T(18)), 90, (0, 0), 1.0, ("voluntary", "public", "faith")),
    Activity("Bingo and Biscuits", ("games", "social"), ("older_people",), "A few games of bingo, a cup of tea and plenty of chat", (_T(14),), 120, (100, 300), 0.2, ("voluntary", "faith", "business")),
    Activity("Friendship Club", ("social", "outings"), ("older_people",), "Afternoon tea, games, talks and trips out", (_T(13, 30), _T(14)), 150, (200, 400), 0.3, ("voluntary", "faith")),
    Activity("Art Group", ("arts_crafts",), ("everyone",), "Painting and drawing for all abilities, with materials provided", (_T(10), _T(14)), 120, (200, 500), 0.2, ("voluntary", "public", "informal")),
    Activity("Short Mat Bowls", ("exercise", "games"), ("everyone",), "Indoor bowls on a short mat; woods to borrow and coaching for beginners", (_T(14), _T(18, 30)), 120, (200, 300), 0.0, ("voluntary", "public", "informal")),
    Activity("Prayer and Fellowship", ("faith", "social"), ("everyone",), "Prayer, a short reading and refreshments afterwards", (_T(10, 30), _T(19)), 60, (0, 0), 1.0, ("faith",)),
    Activity("Women's Wellbeing Group", ("support", "social", "exercise"), ("everyone",), "Gentle exercise, a healthy snack and time to talk, for women of all ages", (_T(10),), 120, (0, 100), 0.8, ("voluntary", "health", "faith")),
    Activity("Day Trips Club", ("outings", "social"), ("older_people",), "A coach trip to the coast, a garden or a market town, with door-to-door pick-up", (_T(9, 30),), 450, (800, 1500), 0.0, ("voluntary", "faith"), (0.0, 0.0, 1.0)),
    Activity("Online Coffee Chat", ("social", "digital"), ("everyone",), "A cuppa and a chat by video call, with phone-in for those without a computer", (_T(11),), 60, (0, 0), 1.0, ("voluntary", "health"), online=True),
)  # fmt: skip

# Shares of organisations by sector in a typical English town's register.
SECTOR_SHARES = {
    "voluntary": 0.42,
    "faith": 0.25,
    "public": 0.10,
    "health": 0.08,
    "business": 0.07,
    "informal": 0.08,
}

# Not "St Mark's": that is a neighbourhood, and a church of that name
# elsewhere would seem to be there.
SAINTS = (
    "St Matthew's", "St Anne's", "St John's", "St Michael's", "St Mary's", "St Peter's",
    "St Luke's", "Holy Trinity", "Christ Church", "St Joseph's", "St Andrew's",
)  # fmt: skip

ORGANISATION_NAMES = {
    "voluntary": (
        "{area} Community Association", "{town} Befriending Service", "{area} Good Neighbours",
        "Friends of {area} Park", "{town} Men's Shed", "{town} Carers' Network",
        "{area} Tenants and Residents Association", "{town} Older People's Forum",
        "{town} Community Transport", "{area} Community Larder", "{town} Volunteer Centre",
        "{town} Stroke Club", "{town} Memory Support", "{town} Refugee Welcome",
        "{town} Polish Community Association", "{town} Caribbean Elders",
        "{town} Asian Elders' Group", "{area} Community Trust", "{town} Bengali Women's Association",
    ),
    "faith": (
        "{saint} Church, {area}", "{area} Methodist Church", "{area} Baptist Church",
        "{town} Central Mosque", "Guru Nanak Gurdwara {town}", "{town} Hindu Mandir",
        "{town} Quaker Meeting", "Salvation Army {town}", "{area} United Reformed Church",
        "{saint} Catholic Church", "{town} Community Church", "{area} Masjid",
    ),
    "public": (
        "{town} Library Service", "{town} Borough Council Adult Learning", "{town} Leisure Centre",
        "{town} Museum", "{area} Family Hub", "{town} Housing Support Team",
    ),
    "health": (
        "{area} Medical Practice", "{town} Primary Care Network", "{town} Social Prescribing Service",
        "{area} Health Centre", "{town} Community Mental Health Team", "{town} Hospice Day Services",
    ),
    "business": (
        "The Copper Kettle Café", "The Red Lion, {area}", "{area} Co-operative Store",
        "The Book Nook", "{town} Garden Centre", "The Willow Tea Rooms", "{area} Bakery",
        "The Railway Inn, {area}",
    ),
    "informal": (
        "{area} Knit and Natter Friends", "{area} Walking Friends", "{street} Neighbours",
        "{area} Book Circle", "{area} Allotment Friends",
    ),
}  # fmt: skip

# The village organisations that work with each other and no one else
# (``town.CLUSTER``), in the order they are added (three in a small demo).
CLUSTER_ORGANISATIONS = (
    ("faith", "{area} Parish Church"),
    ("voluntary", "{area} Village Hall Trust"),
    ("informal", "{area} Gardening Friends"),
    ("voluntary", "{area} Heritage Society"),
)

ORGANISATION_BLURBS = {
    "voluntary": "A volunteer-led charity working with residents of {area} and the wider town since {year}.",
    "faith": "A faith community in {area} that runs activities open to everyone, whatever their beliefs.",
    "public": "A public service of the (fictional) {town} Borough Council.",
    "health": "NHS primary care in {area}; our social prescribers link patients with local groups.",
    "business": "A local business in {area} that hosts community groups.",
    "informal": "An informal group of neighbours in {area}; no charity, just people who turn up.",
}

SPACE_NAMES = {
    "voluntary": ("{area} Community Centre", "The {street} Centre", "{area} Old School Rooms", "{area} Memorial Hall", "{area} Scout Hut", "{area} Community Rooms"),
    "faith": ("{org} Hall", "{org} Rooms", "{area} Chapel Hall", "{area} Parish Centre"),
    "public": ("{area} Library", "{area} Community Hub", "{area} Leisure Centre", "{area} Park Pavilion"),
    "health": ("{area} Health Centre Meeting Room", "{area} Wellbeing Hub"),
    "business": ("{org}", "Function Room at {org}", "Back Room at {org}"),
    "informal": ("{area} Allotments Hut",),
}  # fmt: skip
ROOMS = ("Main Hall", "Small Hall", "Garden Room", "Lounge", "Room 2", "Upstairs Room", "Annexe")

GROUP_EXTRAS = (
    "Everyone is welcome, whether you come every week or now and then.",
    "Come on your own or bring a friend.",
    "Transport can be arranged if you cannot get here on your own; just ask.",
    "There is always someone to say hello at the door.",
    "Carers come free.",
    "No need to book: just turn up.",
    "Please ring first if it is your first time, so we can save you a seat.",
)
