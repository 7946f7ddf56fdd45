"""The organisation network as a picture, for council viewers: linked from
the council network page, with its table, and both as files (SVG and CSV)
beside the council page's others (``/council/network/...``).

Organisations only, never a person; the only figure about people, each
organisation's reach, is suppressed by ``network.organisation_picture``.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from betterway_map.network.organisation_picture import EDGE_STYLES, organisation_picture
from betterway_map.web.access import roles
from betterway_map.web.tables import csv_response

bp = Blueprint("organisation_picture", __name__, url_prefix="/council/network/organisations")

SVG_FILE = "organisation-network.svg"
CSV_FILE = "organisation-network.csv"
FILES = (SVG_FILE, CSV_FILE)
TITLE = "How organisations work together"


def _context(found) -> dict:
    return {
        "found": found,
        "title": TITLE,
        "line_styles": {style.kind: style for style in EDGE_STYLES},
        "files": FILES,
    }


@bp.route("")
@roles("council", "site_admin")
def index():
    return render_template(
        "network/organisation_picture/index.html", **_context(organisation_picture())
    )


@bp.route("/files/<name>")
@roles("council", "site_admin")
def download(name: str):
    """The picture as an SVG file, or its table as CSV."""
    if name not in FILES:
        abort(404)
    found = organisation_picture()
    if name == CSV_FILE:
        return csv_response(found.table)
    text = render_template("network/organisation_picture/picture.svg", **_context(found))
    return Response(
        text.encode("utf-8"),
        mimetype="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
