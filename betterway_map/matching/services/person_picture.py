"""One person's own network as a picture, for the workers assigned to them:
the person in the middle, and round them the people they are in touch
with, the groups they go to and the volunteers matched or proposed to them.

Only a worker assigned to the person may look (``NotFound`` for anyone
else, whether or not the person exists), and every look is audited. Others
are named only as the worker may already see them: a tie by the words
recorded on the person's own record ("daughter", "Mo next door"); a tie
someone else recorded to this person by that person's first name when the
worker looks after them too, else by its kind alone ("Friend"); a
volunteer by first name, as a match shows them before approval. Anyone who
withdrew consent to being on the register is left out (their ties to the
person, their matches), as the network leaves them out.

Whether a tie or a group is active is the network's own rule
(``domain.network.edges``, the same as "my people by need"); a match is
active once a worker has approved it, and proposed until then. It lives in
``matching`` because a person's matches are part of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.network.edges import TIE_WEIGHTS, edges
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    PersonRecord,
    TieRecord,
)
from betterway_map.domain.network.picture import NodeSpec, Picture, draw_picture, star_positions
from betterway_map.errors import Conflict, NotFound
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.network.loader import settings
from betterway_map.network.picture_looks import INK, KeyEntry, LineStyle, NodeLook
from betterway_map.people.models import Attendance, Person, Tie
from betterway_map.people.permissions import assigned_person_ids, is_assigned_worker
from betterway_map.people.services.consent import has_withdrawn, withdrawn
from betterway_map.register.models import Group
from betterway_map.web.tables import Column, Table

__all__ = ["CURRENT_MATCHES", "LINE_STYLES", "EgoNode", "PersonPicture", "person_picture"]

# The matches a person's picture shows: proposed or agreed (not yet
# approved), and active.
CURRENT_MATCHES = ("proposed", "agreed", "active")
KIND_ORDER = ("tie", "group", "volunteer")
KIND_WORDS = {"tie": "person", "group": "group", "volunteer": "volunteer"}
SHAPE = {"tie": "circle", "group": "square", "volunteer": "diamond"}
COLOUR = {"tie": "#1d70b8", "group": "#00703c", "volunteer": "#4c2c92"}
STATE_WORDS = {"active": "active", "lapsed": "lapsed", "proposed": "proposed, not yet started"}
LINE_STYLES = (
    LineStyle("active", "Active: in touch recently (solid line)", INK, "", 3.0),
    LineStyle("lapsed", "Lapsed: no contact lately, or left (long dashes)", "#505a5f", "10 6"),
    LineStyle("proposed", "A match proposed or agreed, not yet started (dots)", "#4c2c92", "2 4"),
)
_TIE_KINDS = dict(vocab.TIE_KINDS)
_FREQUENCIES = dict(vocab.CONTACT_FREQUENCIES)
_MATCH_STATUSES = dict(vocab.MATCH_STATUSES)
# A tie recorded from both sides is one edge with the higher weight: its
# weight says how often (the weights are distinct).
_FREQUENCY_OF_WEIGHT = {weight: frequency for frequency, weight in TIE_WEIGHTS.items()}


@dataclass(frozen=True)
class EgoNode:
    """Someone or something round the person, as the worker may see them."""

    key: tuple
    kind: str  # tie, group or volunteer
    name: str
    relation: str
    detail: str
    last_contact: date | None
    states: tuple[str, ...]  # one a line: active, lapsed, proposed

    @property
    def state(self) -> str:
        """The strongest of the node's lines: active, then proposed, then lapsed."""
        for state in ("active", "proposed", "lapsed"):
            if state in self.states:
                return state
        return "lapsed"

    @property
    def look(self) -> NodeLook:
        """A shape by kind; filled when active, hollow otherwise."""
        active = self.state == "active"
        return NodeLook(
            description=self.description,
            shape=SHAPE[self.kind],
            fill=COLOUR[self.kind] if active else "#ffffff",
            stroke=INK if active else COLOUR[self.kind],
            stroke_width=1.5 if active else 3.0,
        )

    @property
    def description(self) -> str:
        parts = [self.name, self.relation, self.detail]
        if self.last_contact:
            parts.append(f"last contact {self.last_contact:%-d %B %Y}")
        parts.append(STATE_WORDS[self.state])
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class PersonPicture:
    person_id: int
    name: str
    picture: Picture
    nodes: tuple[EgoNode, ...]
    window_days: int

    @property
    def looks(self) -> dict:
        found = {node.key: node.look for node in self.nodes}
        found[("person", self.person_id)] = NodeLook(
            f"{self.name}, in the middle", fill=INK, stroke=INK, bold=True
        )
        return found

    @property
    def key(self) -> tuple[KeyEntry, ...]:
        entries = [
            KeyEntry(f"{self.name} (in the middle)", node=NodeLook("", fill=INK)),
            KeyEntry("A person (circle)", node=NodeLook("", fill=COLOUR["tie"])),
            KeyEntry("A group (square)", node=NodeLook("", "square", COLOUR["group"])),
            KeyEntry("A volunteer (diamond)", node=NodeLook("", "diamond", COLOUR["volunteer"])),
            KeyEntry(
                "Hollow: not active now",
                node=NodeLook("", fill="#ffffff", stroke=COLOUR["tie"], stroke_width=3.0),
            ),
        ]
        return tuple(entries) + tuple(KeyEntry(style.label, line=style) for style in LINE_STYLES)

    @property
    def summary(self) -> str:
        counts = {kind: sum(1 for n in self.nodes if n.kind == kind) for kind in KIND_ORDER}
        active = sum(1 for n in self.nodes if n.state == "active")
        words = {"tie": ("person", "people"), "group": ("group", "groups")}
        words["volunteer"] = ("volunteer", "volunteers")
        said = {kind: f"{n} {words[kind][n != 1]}" for kind, n in counts.items()}
        return (
            f"{self.name} in the middle, with {said['tie']}, {said['group']} "
            f"and {said['volunteer']} round them; {active} of these are active "
            f"(in touch in the last {self.window_days} days, or a match that has started). "
            "The table after the picture says the same in words."
        )

    @property
    def table(self) -> Table:
        return Table(
            "ties",
            f"Who and what {self.name} is connected with",
            (
                Column("name", "Who or what"),
                Column("relation", "How they are connected"),
                Column("detail", "How often, or status"),
                Column("last", "Last contact"),
                Column("state", "Now"),
            ),
            [
                {
                    "name": node.name,
                    "relation": node.relation,
                    "detail": node.detail,
                    "last": f"{node.last_contact:%-d %B %Y}" if node.last_contact else "not known",
                    "state": STATE_WORDS[node.state].capitalize(),
                }
                for node in self.nodes
            ],
        )


def _records(person: Person) -> tuple[list, list, list]:
    """The person's own ties, ties others recorded to them (by people still
    on the register), and their attendances with the groups' names."""
    own = list(db.session.scalars(select(Tie).where(Tie.person_id == person.id).order_by(Tie.id)))
    others = list(
        db.session.execute(
            select(Tie, Person.first_name)
            .join(Person, Person.id == Tie.person_id)
            .where(Tie.other_person_id == person.id, ~withdrawn(Tie.person_id, "register"))
            .order_by(Tie.id)
        )
    )
    attended = list(
        db.session.execute(
            select(Attendance, Group.name, Group.organisation_id, Group.status)
            .join(Group, Group.id == Attendance.group_id)
            .where(Attendance.person_id == person.id)
            .order_by(Attendance.id)
        )
    )
    return own, others, attended


def _matches(person_id: int) -> list:
    return list(
        db.session.execute(
            select(Match.id, Match.status, Match.volunteer_id, Match.started_on, Person.first_name)
            .join(SupportRequest, SupportRequest.id == Match.request_id)
            .join(Person, Person.id == Match.volunteer_id)
            .where(
                SupportRequest.person_id == person_id,
                Match.status.in_(CURRENT_MATCHES),
                ~withdrawn(Match.volunteer_id, "register"),
            )
            .order_by(Match.id)
        )
    )


def _tie_record(tie: Tie) -> TieRecord:
    return TieRecord(
        tie.person_id,
        tie.kind,
        tie.contact_frequency,
        tie.last_contact_on,
        other_person_id=tie.other_person_id,
        id=tie.id,
    )


def _small_area(person: Person, own, others, attended, today: date) -> Area:
    """The person's corner of the network, for the network's own edge rules."""
    ties = [_tie_record(t) for t in own] + [_tie_record(t) for t, _ in others]
    ids = {person.id} | {t.person_id for t in ties} | {t.other_person_id for t in ties}
    return Area(
        today=today,
        people=[PersonRecord(pid, "", None, None, None, None) for pid in sorted(ids - {None})],
        groups=[
            GroupRecord(a.group_id, organisation, name, None, None, None, status)
            for a, name, organisation, status in attended
        ],
        attendances=[
            AttendanceRecord(a.person_id, a.group_id, a.status, a.since, a.last_attended_on)
            for a, *_ in attended
        ],
        ties=ties,
    )


def _nodes(person: Person, worker: User, window_days: int, today: date) -> list[EgoNode]:
    own, others, attended = _records(person)
    area = _small_area(person, own, others, attended, today)
    theirs = set(assigned_person_ids(worker))
    own_words = {t.other_person_id: t.other_label for t in own if t.other_person_id}
    first_names = {t.person_id: name for t, name in others}
    groups = {a.group_id: name for a, name, *_ in attended}
    found: dict[tuple, dict] = {}

    def add(key, kind, name, relation, detail, last, state):
        node = found.setdefault(
            key,
            {"kind": kind, "name": name, "relation": [], "detail": [], "last": None, "states": []},
        )
        node["relation"].append(relation)
        node["detail"].append(detail)
        node["states"].append(state)
        if last and (node["last"] is None or last > node["last"]):
            node["last"] = last

    for edge in edges(area, window_days, today):
        other = edge.v if edge.u == ("person", person.id) else edge.u
        state = "active" if edge.active else "lapsed"
        if edge.kind == "attends":
            detail = "goes" if edge.status == "member" else "left"
            add(other, "group", groups[other[1]], "Group", detail, edge.last_active, state)
        elif edge.kind == "tie":
            kind = _TIE_KINDS.get(edge.tie_kind, edge.tie_kind).split(" (")[0]
            if other[0] == "contact":  # only the person's own ties name no one on the register
                name = own[other[1]].other_label
            elif other[1] in own_words:
                name = own_words[other[1]]
            elif other[1] in theirs and other[1] in first_names:
                name = first_names[other[1]]
            else:
                name = kind
            how_often = _FREQUENCIES.get(_FREQUENCY_OF_WEIGHT.get(edge.weight, ""), "")
            add(other, "tie", name, kind, how_often, edge.last_active, state)
    for match in _matches(person.id):
        key = ("person", match.volunteer_id)
        state = "active" if match.status == "active" else "proposed"
        name = found[key]["name"] if key in found else match.first_name
        status = _MATCH_STATUSES[match.status]
        add(key, "volunteer", name, "Volunteer", status, match.started_on, state)
    nodes = [
        EgoNode(
            key=key,
            kind=data["kind"],
            name=data["name"],
            relation="; ".join(dict.fromkeys(data["relation"])),
            detail="; ".join(d for d in dict.fromkeys(data["detail"]) if d),
            last_contact=data["last"],
            states=tuple(data["states"]),
        )
        for key, data in found.items()
    ]
    return sorted(nodes, key=lambda n: (KIND_ORDER.index(n.kind), n.name.casefold(), n.key))


def person_picture(worker: User, person_id: int, today: date | None = None) -> PersonPicture:
    """The picture of one of the worker's people (one commit: the audit).

    Raises ``NotFound`` unless ``worker`` is assigned to the person, and
    ``Conflict`` when the person withdrew consent to being on the register.
    """
    if not is_assigned_worker(worker, person_id):
        raise NotFound(f"There is no person {person_id} that you look after.")
    person = db.session.get(Person, person_id)
    if has_withdrawn(person.id, "register"):
        raise Conflict(
            f"{person.first_name} withdrew consent to being kept on the register, so they are "
            "left out of the network. If that changes, record the consent again first."
        )
    config = settings()
    nodes = _nodes(person, worker, config.window_days, today or today_in_uk())
    centre = ("person", person.id)
    specs = [NodeSpec(centre, person.first_name, 1, must_label=True)]
    specs += [NodeSpec(node.key, node.name) for node in nodes]
    lines = [
        (centre, node.key, sorted(set(node.states), key=("active", "proposed", "lapsed").index))
        for node in nodes
    ]
    picture = draw_picture(
        specs,
        star_positions(centre, [node.key for node in nodes]),
        lines,
        width=1000,
        height=640,
        smallest=12,
        largest=20,
    )
    audit.record(worker.id, "view", "person", person.id, "network picture")
    db.session.commit()
    return PersonPicture(person.id, person.first_name, picture, tuple(nodes), config.window_days)
