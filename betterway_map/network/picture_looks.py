"""How a network picture's nodes, lines and key look: plain data for
``templates/macros/network_picture.html``, which draws every picture (the
organisations' for council viewers, a person's ties for their worker).

Every look is told apart without colour (a shape, a dash, a number, a ring
or bold type) and keeps to the site's contrast: ink on white, white on the
node colours, lines dark enough against the page.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["INK", "KeyEntry", "LineStyle", "NodeLook", "SHAPES"]

INK = "#0b0c0c"
SHAPES = ("circle", "square", "diamond")


@dataclass(frozen=True)
class LineStyle:
    """How one kind of line is drawn, and what the key says of it."""

    kind: str
    label: str
    colour: str = INK
    dash: str = ""
    width: float = 2.0


@dataclass(frozen=True)
class NodeLook:
    """How one node is drawn: ``description`` is its accessible name and
    tooltip; ``mark`` a short text inside it (a community's number)."""

    description: str
    shape: str = "circle"
    fill: str = "#ffffff"
    stroke: str = INK
    stroke_width: float = 1.5
    mark: str = ""
    mark_colour: str = "#ffffff"
    bold: bool = False

    def __post_init__(self):
        if self.shape not in SHAPES:
            raise ValueError(f"a node's shape is one of {SHAPES}, not {self.shape!r}")


@dataclass(frozen=True)
class KeyEntry:
    """One line of a picture's key: a node's look or a line's style, and its meaning."""

    label: str
    node: NodeLook | None = None
    line: LineStyle | None = None
