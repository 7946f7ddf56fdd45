"""Which demo people are online: they have an account of their own.

On the register a person is *online* when they have a user account of their
own (``Person.user_id``; the equity figures break people down by it). The
people a worker registered are not online: that is why a worker registered
them. Of the people who registered themselves, about three in ten under 65,
two in ten aged 65-74 and one in ten over 75 are given an account here
(``ONLINE_SHARE``).

Nobody can sign in to these accounts: they exist only so that the people
behind the figures about being online are there. They are never demo logins,
their addresses are on ``PEOPLE_EMAIL_DOMAIN`` (``.invalid`` is reserved by
RFC 2606 and RFC 6761 and never resolves, so no mail, and no password reset
link, reaches anyone), and ``demo.load`` stores them with a password hash that
no password matches (``accounts.services.passwords.unusable_password_hash``),
to which no reset link is sent either.

>>> from datetime import date
>>> from betterway_map.demo.generator import generate
>>> area = generate(seed=1, people=300, today=date(2026, 3, 2))
>>> online = [a for a in area.accounts if not a.can_sign_in]
>>> len(online) > 20, {a.demo_login for a in online}, {a.role for a in online}
(True, {False}, {'resident'})
>>> all(a.email.endswith("@people.demo.invalid") for a in online)
True
"""

from __future__ import annotations

import random
from dataclasses import replace

from betterway_map.demo.generator.rows import Account, DemoArea

__all__ = ["add_online", "ONLINE_SHARE", "PEOPLE_EMAIL_DOMAIN"]

# The share of the people who registered themselves who are online, by age band.
ONLINE_SHARE = {
    "18-24": 0.3,
    "25-34": 0.3,
    "35-49": 0.3,
    "50-64": 0.3,
    "65-74": 0.2,
    "75-84": 0.1,
    "85+": 0.1,
}
PEOPLE_EMAIL_DOMAIN = "people.demo.invalid"


def add_online(rng: random.Random, area: DemoArea) -> None:
    """Give some of the people who registered themselves an account (in place).

    Their account key is ``person-<position>``; the consent they gave online
    when they registered is recorded as given by themselves.
    """
    for index, person in enumerate(area.people):
        if person.account is not None or person.registered_by is not None:
            continue
        if rng.random() >= ONLINE_SHARE.get(person.age_band, 0.2):
            continue
        key = f"person-{index}"
        person.account = key
        name = " ".join(part for part in (person.first_name, person.last_name) if part)
        area.accounts.append(
            Account(
                key,
                f"{key}@{PEOPLE_EMAIL_DOMAIN}",
                name,
                "resident",
                demo_login=False,
                can_sign_in=False,
            )
        )
    area.consents = [
        replace(c, recorded_by=area.people[c.person].account)
        if c.method == "online" and c.recorded_by is None
        else c
        for c in area.consents
    ]
