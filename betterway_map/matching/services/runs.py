"""Running matching for an area, in one transaction, and reading runs back.

A run never takes back a proposal already sent: a request with a proposal
still waiting for answers, or an agreed or active match, is left out, and
that match holds its volunteer's place (``loading.HOLDING``) until someone
declines it or a worker withdraws it. The run solves the rest and stores
itself with its proposals, the unmatched requests and why, and the
volunteers still waiting; once committed, each new proposal is announced to
its volunteer (or their workers) in their inbox and by email
(``journey.announce_proposals``).
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import insert, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk, utcnow
from betterway_map.domain.matching.solver import solve
from betterway_map.domain.matching.unmatched import summary, unmatched, waiting_offers
from betterway_map.errors import Forbidden, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.matching.models import Match, MatchEvent, MatchingRun, SupportRequest
from betterway_map.matching.permissions import openable
from betterway_map.matching.services.journey import LinkFor, announce_proposals
from betterway_map.matching.services.loading import district, load
from betterway_map.matching.services.weights import current_weights
from betterway_map.people.models import Assignment, Person

__all__ = [
    "parse_area",
    "default_area",
    "store_run",
    "run_matching",
    "recent_runs",
    "run_detail",
]

_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
RECENT = 20


def parse_area(text) -> list[str]:
    """Postcode districts from text ("LS6, LS7" or a list), upper-cased and
    sorted; ``InvalidInput`` naming any that is not a district."""
    items = text if isinstance(text, list) else re.split(r"[\s,;]+", str(text or ""))
    if not all(isinstance(item, str) for item in items):
        raise InvalidInput("Give postcode districts as text.", {"area": ["Expected text."]})
    found = sorted({item.strip().upper() for item in items if item.strip()})
    bad = [item for item in found if not _DISTRICT.match(item)]
    if bad:
        message = (
            f"{bad[0]!r} is not a postcode district: expected the first half of a "
            "postcode, such as 'LS6'."
        )
        raise InvalidInput(message, {"area": [message]})
    return found


def _require_worker(user: User) -> None:
    if not user.has_role("worker"):
        raise Forbidden("Only a community worker runs matching.")


def default_area(user: User) -> list[str]:
    """The postcode districts of the people assigned to this worker."""
    postcodes = db.session.scalars(
        select(Person.postcode)
        .join(Assignment, Assignment.person_id == Person.id)
        .where(Assignment.worker_id == user.id)
    )
    return sorted({district(code) for code in postcodes} - {""})


def run_matching(
    user: User, area: list[str], today: date | None = None, link_for: LinkFor = None
) -> int:
    """Run matching for ``area`` (postcode districts; empty: everywhere) and
    announce its proposals; the run's id. The run is one transaction
    (``store_run``); announcing its proposals (inbox messages, then emails;
    ``link_for`` makes their links) is the next."""
    run_id, match_ids = store_run(user, area, today)
    announce_proposals(user, match_ids, link_for)
    return run_id


def store_run(user: User, area: list[str], today: date | None = None) -> tuple[int, list[int]]:
    """Solve for ``area`` and store the run and its proposals, in one
    transaction, announcing nothing; ``(run id, the new matches' ids)``."""
    _require_worker(user)
    area = parse_area(area)
    today = today or today_in_uk()
    weights = current_weights()
    loaded = load(area, today)
    run = MatchingRun(run_by_id=user.id, area=area, weights=weights.as_dict())
    db.session.add(run)
    db.session.flush()
    first_names = {need_id: who[1] for need_id, who in loaded.need_people.items()}
    solution = solve(loaded.needs, loaded.offers, today, weights, first_names)
    left = unmatched(solution.table, solution.matched_need_ids)
    proposed_offers = {p.offer_id for p in solution.proposals}
    run.request_count, run.offer_count = len(loaded.needs), len(loaded.offers)
    run.proposal_count, run.total_score = len(solution.proposals), solution.total_score
    run.unmatched, run.unmatched_summary = left, summary(left)
    run.waiting_volunteers = [
        {"volunteer_id": row["offer_id"], "waiting_days": row["waiting_days"]}
        for row in waiting_offers(solution.table, proposed_offers)
    ]
    now = utcnow()
    match_ids: list[int] = []
    if solution.proposals:
        db.session.execute(
            insert(Match),
            [
                {
                    "request_id": p.need_id,
                    "volunteer_id": p.offer_id,
                    "run_id": run.id,
                    "status": "proposed",
                    "score": round(p.score, 6),
                    "reasons": p.reasons,
                    "distance_km": None if p.distance_km is None else round(p.distance_km, 3),
                    "created_at": now,
                    "updated_at": now,
                }
                for p in solution.proposals
            ],  # fmt: skip
        )
        match_ids = list(
            db.session.scalars(select(Match.id).where(Match.run_id == run.id).order_by(Match.id))
        )
        db.session.execute(
            insert(MatchEvent),
            [
                {
                    "match_id": i,
                    "actor_id": user.id,
                    "step": "proposed",
                    "at": now,
                    "note": f"Proposed by matching run {run.id}.",
                }
                for i in match_ids
            ],  # fmt: skip
        )
    run.finished_at = utcnow()
    audit.record(
        user.id,
        "create",
        "matching_run",
        run.id,
        f"area={','.join(area) or 'all'} requests={run.request_count} "
        f"offers={run.offer_count} proposals={run.proposal_count}",
    )
    db.session.commit()
    return run.id, match_ids


def recent_runs(user: User) -> list[MatchingRun]:
    """The latest runs, newest first (workers only)."""
    _require_worker(user)
    return list(
        db.session.scalars(select(MatchingRun).order_by(MatchingRun.id.desc()).limit(RECENT))
    )


def _names(person_ids: set[int]) -> dict[int, tuple[str, str]]:
    if not person_ids:
        return {}
    rows = db.session.execute(
        select(Person.id, Person.first_name, Person.postcode).where(Person.id.in_(person_ids))
    )
    return {pid: (first, district(code)) for pid, first, code in rows}


def run_detail(user: User, run_id: int) -> dict:
    """A run for its page: proposals with both sides' first names and
    postcode districts only (and whether the reader may open each match), unmatched requests and why, the summary, and
    volunteers waiting. The read is audited (it names people)."""
    _require_worker(user)
    run = db.session.get(MatchingRun, run_id)
    if run is None:
        raise NotFound(f"There is no matching run {run_id}.")
    matches = list(
        db.session.scalars(select(Match).where(Match.run_id == run_id).order_by(Match.id))
    )
    request_ids = {m.request_id for m in matches} | {row["request_id"] for row in run.unmatched}
    person_of = dict(
        db.session.execute(
            select(SupportRequest.id, SupportRequest.person_id).where(
                SupportRequest.id.in_(request_ids)
            )
        ).all()
    ) if request_ids else {}  # fmt: skip
    volunteer_ids = {m.volunteer_id for m in matches} | {
        row["volunteer_id"] for row in run.waiting_volunteers
    }
    names = _names(set(person_of.values()) | volunteer_ids)
    unknown = ("(removed)", "")

    def person(request_id):
        first, where = names.get(person_of.get(request_id), unknown)
        return {"request_id": request_id, "first_name": first, "district": where}

    def volunteer(volunteer_id):
        first, where = names.get(volunteer_id, unknown)
        return {"volunteer_id": volunteer_id, "first_name": first, "district": where}

    may_open = openable(user, [m.id for m in matches])
    proposals = [
        {"match_id": m.id, "may_open": m.id in may_open, "status": m.status, "score": m.score, "reasons": m.reasons,
         "distance_km": m.distance_km, "person": person(m.request_id),
         "volunteer": volunteer(m.volunteer_id)}
        for m in matches
    ]  # fmt: skip
    audit.record(
        user.id,
        "view",
        "matching_run",
        run_id,
        audit.people_detail(sorted(set(person_of.values()) | volunteer_ids), "matching run"),
    )
    db.session.commit()
    return {
        "run": run,
        "proposals": proposals,
        "unmatched": [
            {**person(row["request_id"]), "reason": row["reason"]} for row in run.unmatched
        ],
        "summary": run.unmatched_summary,
        "waiting": [
            {**volunteer(row["volunteer_id"]), "waiting_days": row["waiting_days"]}
            for row in run.waiting_volunteers
        ],
    }
