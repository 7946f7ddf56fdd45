"""The organisation network as a picture for council viewers, with the
table that says the same in words, and both as files.

The figures are the council page's own: communities and brokers from the
area report (``network.report``, Louvain seeded at 42, the ten highest
betweenness scores as brokers), the links of the organisation graph
(``domain.network.organisation_network``, the same graph the council map's
network layer draws), and each organisation's reach
(``organisation_reach``), a count of people and so published only through
``domain.suppression.suppress``: a reach below ``MIN_CELL_COUNT`` (or none)
is withheld, in the table and in the picture alike, where a withheld reach
is drawn at the smallest size, the same as the smallest shown.

Reads only. The layout (``domain.network.picture``) is networkx's spring
layout with a fixed seed, so the same network gives the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from betterway_map.domain.network.organisation_network import (
    organisation_network,
    organisation_reach,
)
from betterway_map.domain.network.picture import (
    NodeSpec,
    Picture,
    draw_picture,
    spring_positions,
)
from betterway_map.domain.suppression import suppress
from betterway_map.network.loader import request_area, settings
from betterway_map.network.picture_looks import INK, KeyEntry, LineStyle, NodeLook
from betterway_map.network.report import area_report
from betterway_map.web.tables import Column, Table

__all__ = [
    "COMMUNITY_COLOURS",
    "EDGE_STYLES",
    "LAYOUT_SEED",
    "OrganisationNode",
    "OrganisationPicture",
    "organisation_picture",
]

# The seed of the layout and of the communities (the report uses the same).
LAYOUT_SEED = 42
# Dark enough for white numbers (contrast 4.8:1 or more) and for a white
# page (3:1 or more); told apart without colour by the number in the node.
COMMUNITY_COLOURS = (
    "#1d70b8",
    "#00703c",
    "#d4351c",
    "#4c2c92",
    "#b35900",
    "#005a70",
    "#912b88",
    "#0b0c0c",
)
ALONE_COLOUR = "#ffffff"
ALONE_STROKE = "#505a5f"


EDGE_STYLES = (
    LineStyle("partnership", "Partnership (solid line)", INK, ""),
    LineStyle("referral", "Referrals (long dashes)", "#1d70b8", "12 5"),
    LineStyle("shared_space", "Groups at the same space (dots)", "#505a5f", "2 4"),
    LineStyle("shared_volunteer", "A volunteer at both (dash and dot)", "#a8281a", "10 4 2 4"),
)
_KIND_ORDER = {style.kind: i for i, style in enumerate(EDGE_STYLES)}
_KIND_WORDS = {
    "partnership": "partnership",
    "referral": "referrals",
    "shared_space": "same space",
    "shared_volunteer": "shared volunteer",
}


@dataclass(frozen=True)
class OrganisationNode:
    """What the picture and the table say about one organisation."""

    id: int
    name: str
    sector_label: str
    community: int | None  # None: in a community of its own
    reach: int | None  # None: withheld (too few people) or none
    broker: bool
    betweenness: float
    links: int
    partners: tuple[tuple[str, str], ...]  # (name, kinds in words), by name
    fill: str
    stroke: str

    @property
    def description(self) -> str:
        """The node's name for a screen reader, and its tooltip."""
        parts = [f"{self.name} ({self.sector_label})"]
        parts.append(f"community {self.community}" if self.community else "in no community")
        parts.append(
            f"reaches {self.reach} people" if self.reach is not None else "people reached withheld"
        )
        if self.broker:
            parts.append(f"broker, score {self.betweenness:.3f}")
        parts.append(f"{self.links} {'link' if self.links == 1 else 'links'}")
        return ", ".join(parts)

    @property
    def look(self) -> NodeLook:
        """Coloured and numbered by community; a broker ringed thick and named in bold."""
        return NodeLook(
            description=self.description,
            fill=self.fill,
            stroke=self.stroke,
            stroke_width=4.0 if self.broker else 1.5,
            mark=str(self.community) if self.community else "",
            bold=self.broker,
        )


@dataclass(frozen=True)
class OrganisationPicture:
    picture: Picture
    nodes: dict[int, OrganisationNode]
    table: Table
    communities: tuple[tuple[int, int, str], ...]  # (number, size, colour)
    brokers: tuple[str, ...]
    link_count: int
    min_count: int

    @property
    def looks(self) -> dict[int, NodeLook]:
        return {key: node.look for key, node in self.nodes.items()}

    @property
    def key(self) -> tuple[KeyEntry, ...]:
        """What the picture's colours, rings and lines mean."""
        entries = [
            KeyEntry(
                f"Community {number} ({size} organisations): colour and number",
                node=NodeLook("", fill=colour, mark=str(number)),
            )
            for number, size, colour in self.communities
        ]
        entries.append(
            KeyEntry(
                "In no community (white, no number)",
                node=NodeLook("", fill=ALONE_COLOUR, stroke=ALONE_STROKE),
            )
        )
        entries.append(
            KeyEntry(
                "Broker: a thick ring, the name in bold",
                node=NodeLook("", stroke_width=4.0),
            )
        )
        entries.append(
            KeyEntry(
                "Larger: more people reached (the smallest: too few people to show)",
                node=NodeLook("", fill="#b1b4b6"),
            )
        )
        entries.extend(KeyEntry(style.label, line=style) for style in EDGE_STYLES)
        return tuple(entries)

    @property
    def summary(self) -> str:
        """The picture's description in words."""
        count = len(self.nodes)
        text = (
            f"{count} {'organisation' if count == 1 else 'organisations'} and the "
            f"{self.link_count} {'link' if self.link_count == 1 else 'links'} between them."
        )
        if self.communities:
            sizes = ", ".join(f"{size}" for _, size, _ in self.communities)
            text += f" {len(self.communities)} communities of {sizes} organisations."
        if self.brokers:
            text += f" Brokers, labelled in bold: {', '.join(self.brokers)}."
        return text + " The table after the picture lists every organisation and its links."


def _kinds_words(kinds) -> str:
    return ", ".join(_KIND_WORDS.get(k, k) for k in sorted(kinds, key=_sorted_kind))


def _sorted_kind(kind: str) -> tuple[int, str]:
    return (_KIND_ORDER.get(kind, len(_KIND_ORDER)), kind)


def _table(nodes: list[OrganisationNode]) -> Table:
    rows = [
        {
            "name": node.name,
            "sector": node.sector_label,
            "community": str(node.community) if node.community else "on its own",
            "reach": node.reach,
            "betweenness": f"{node.betweenness:.3f}" + (" (broker)" if node.broker else ""),
            "links": node.links,
            "partners": "; ".join(f"{name} ({kinds})" for name, kinds in node.partners) or "none",
        }
        for node in nodes
    ]
    return Table(
        "organisation-network",
        "Every organisation in the picture: the people its groups reach, its community, "
        "how much it links others (betweenness, 0 to 1) and its links",
        (
            Column("name", "Organisation"),
            Column("sector", "Sector"),
            Column("community", "Community"),
            Column("reach", "People reached", "count"),
            Column("betweenness", "Broker score"),
            Column("links", "Links", "count"),
            Column("partners", "Linked with"),
        ),
        rows,
    )


def organisation_picture(today: date | None = None) -> OrganisationPicture:
    """The organisation network drawn, and its table (reads only)."""
    config = settings()
    area = request_area(today)
    section = area_report(today)["organisations"]
    graph = organisation_network(area, window_days=config.window_days, seed=LAYOUT_SEED).graph
    reach = organisation_reach(area, config.window_days)
    sizes = {c["index"]: c["size"] for c in section["communities"]}
    brokers = {row["id"] for row in section["brokers"]}
    rows = sorted(
        (row for row in section["rows"] if row["id"] in graph),
        key=lambda row: (row["name"].casefold(), row["id"]),
    )
    names = {row["id"]: row["name"] for row in rows}
    nodes: dict[int, OrganisationNode] = {}
    for row in rows:
        community = row["community"] if sizes.get(row["community"], 0) > 1 else None
        colour = COMMUNITY_COLOURS[(community - 1) % len(COMMUNITY_COLOURS)] if community else None
        partners = sorted(
            (
                (names[other], _kinds_words(graph[row["id"]][other]["kinds"]))
                for other in graph[row["id"]]
                if other in names
            ),
            key=lambda pair: pair[0].casefold(),
        )
        nodes[row["id"]] = OrganisationNode(
            id=row["id"],
            name=row["name"],
            sector_label=row["sector_label"],
            community=community,
            reach=suppress(reach.get(row["id"], 0), config.min_count),
            broker=row["id"] in brokers,
            betweenness=float(row["betweenness"]),
            links=len(partners),
            partners=tuple(partners),
            fill=colour or ALONE_COLOUR,
            stroke=INK if colour else ALONE_STROKE,
        )
    edges = [
        (u, v, sorted(data["kinds"], key=_sorted_kind))
        for u, v, data in sorted(graph.edges(data=True), key=lambda e: (min(e[:2]), max(e[:2])))
        if u in nodes and v in nodes
    ]
    layout = spring_positions(graph.subgraph(nodes), seed=LAYOUT_SEED)
    specs = [
        NodeSpec(node.id, node.name, node.reach, must_label=node.broker) for node in nodes.values()
    ]
    picture = draw_picture(specs, layout, edges, width=1000, height=720)
    communities = tuple(
        (index, size, COMMUNITY_COLOURS[(index - 1) % len(COMMUNITY_COLOURS)])
        for index, size in sorted(sizes.items())
        if size > 1
    )
    return OrganisationPicture(
        picture=picture,
        nodes=nodes,
        table=_table(list(nodes.values())),
        communities=communities,
        brokers=tuple(row["name"] for row in section["brokers"] if row["id"] in nodes),
        link_count=len(edges),
        min_count=config.min_count,
    )
