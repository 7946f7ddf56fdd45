"""The council map's legends: its colours, and what each layer's key says.

``maps.council_layers`` draws the layers; the page shows these keys beside
the map as HTML (``templates/network/council_network/_map.html``), so
nothing on the map is told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AT_RISK_COLOURS",
    "CATEGORY_COLOURS",
    "DECILE_COLOURS",
    "TOO_FEW",
    "WITHHELD_COLOUR",
    "Key",
    "MapLayer",
    "legends",
]

# ColorBrewer Purples, 5 classes: few people at risk (pale) to many (dark).
AT_RISK_COLOURS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
WITHHELD_COLOUR = "#b1b4b6"
GAP_OUTLINE = "#d4351c"
COVERAGE_COLOUR = "#1d70b8"
NETWORK_COLOUR = "#0b0c0c"
BROKER_COLOUR = "#f47738"
SPACE_COLOUR = "#505a5f"
# ColorBrewer Dark2 and Set1 mixed: eight distinguishable category colours.
CATEGORY_COLOURS = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#a6761d",
    "#377eb8",
    "#e41a1c",
)
OTHER_COLOUR = "#666666"
# ColorBrewer RdYlBu reversed, 10 classes: decile 1 (most need) dark red.
DECILE_COLOURS = (
    "#a50026",
    "#d73027",
    "#f46d43",
    "#fdae61",
    "#fee090",
    "#e0f3f8",
    "#abd9e9",
    "#74add1",
    "#4575b4",
    "#313695",
)
TOO_FEW = "too few people to show"


@dataclass(frozen=True)
class Key:
    """One line of a legend: a swatch (``shape``: fill, outline, circle,
    square, line) in ``colour`` and what it means."""

    shape: str
    colour: str
    label: str
    width: int = 2


@dataclass(frozen=True)
class MapLayer:
    key: str
    title: str
    count: int
    legend: tuple[Key, ...]


def _band_labels(low: int, top: int, bands: int) -> list[str]:
    """The legend's words for each band: no bound below ``low``, the
    smallest count shown.

    >>> _band_labels(5, 25, 5)
    ['none', '5 to 10', '10 to 15', '15 to 20', '20 to 25']
    >>> _band_labels(7, 7, 5)
    ['none', '7', '7', '7', '7']
    """
    if top <= low:
        return ["none"] + [f"{top}"] * (bands - 1)
    step = (top - low) / (bands - 1)
    return ["none"] + [
        f"{low + step * i:.0f} to {low + step * (i + 1):.0f}" for i in range(bands - 1)
    ]


def legends(
    rows, shown, gaps, coverage, places, links, area_need, palette, colour_by, labels
) -> list[MapLayer]:
    """Each layer's title, count and key, in the order the map lists them.

    ``rows`` are the shown cells, ``shown`` those whose people at risk are
    shown, ``gaps`` the gap cells; ``palette`` the interests (or audiences)
    with their colour's index; ``labels`` vocabulary codes to words.
    """
    built: list[MapLayer] = []
    if area_need is not None:
        keys = tuple(
            Key(
                "fill",
                DECILE_COLOURS[d - 1],
                f"decile {d}" + (" (most need)" if d == 1 else " (least need)" if d == 10 else ""),
            )
            for d in range(1, 11)
        )
        title = f"Area need: {area_need['name']}"
        built.append(MapLayer("need", title, len(area_need.get("areas", ())), keys))
    top = max((int(c["at_risk"]) for c in shown), default=0)
    low = min((int(c["at_risk"]) for c in shown if int(c["at_risk"]) > 0), default=0)
    words = _band_labels(low, top, len(AT_RISK_COLOURS))
    built.append(
        MapLayer(
            "cells",
            "People at risk by area",
            len(rows),
            tuple(
                Key("fill", colour, f"{text} people at risk")
                for colour, text in zip(AT_RISK_COLOURS, words, strict=True)
            )
            + (Key("fill", WITHHELD_COLOUR, f"people at risk: {TOO_FEW}"),),
        )
    )
    built.append(
        MapLayer(
            "gaps",
            "Gaps: nothing suitable within walking distance",
            len(gaps),
            (
                Key(
                    "outline",
                    GAP_OUTLINE,
                    "people at risk with no suitable active group within walking distance"
                    " (thick dashed red outline)",
                    4,
                ),
            ),
        )
    )
    radius = int(coverage[0]["radius_m"]) if coverage else 0
    built.append(
        MapLayer(
            "coverage",
            "Walking distance from active groups",
            len(coverage),
            (Key("circle", COVERAGE_COLOUR, f"within {radius} m of an active group"),),
        )
    )
    what = "interest" if colour_by == "interest" else "audience"
    built.append(
        MapLayer(
            "places",
            "Groups and spaces",
            len(places),
            tuple(
                Key("circle", CATEGORY_COLOURS[i], f"group: {labels.get(v, v)}")
                for v, i in palette.items()
            )
            + (
                Key("circle", OTHER_COLOUR, f"group: another {what}"),
                Key("diamond", SPACE_COLOUR, "space (a place groups can meet)"),
                Key("square", "#ffffff", "step-free (a square with a tick, any colour)"),
            ),
        )
    )
    built.append(
        MapLayer(
            "network",
            "Organisation network",
            len(links),
            (
                Key("line", NETWORK_COLOUR, "one link between two organisations", 4),
                Key("line", NETWORK_COLOUR, "three or more links (wider is stronger)", 8),
                Key("circle", NETWORK_COLOUR, "organisation (at the middle of its spaces)"),
                Key("ring", BROKER_COLOUR, "broker (larger, orange ring)", 4),
            ),
        )
    )
    return built
