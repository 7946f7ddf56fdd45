"""Council viewers see the whole area as counts, never a row about a person;
anyone may read how the figures protect people."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from betterway_map.network.summary import area_summary
from betterway_map.web.access import public, roles

bp = Blueprint("council", __name__, url_prefix="/council")


@bp.route("")
@roles("council", "site_admin")
def index():
    return render_template("network/council/index.html", summary=area_summary())


@bp.route("/protecting-people")
@public
def protecting_people():
    """How we protect people in these figures: the disclosure rule in plain English."""
    return render_template(
        "network/council/protecting_people.html",
        min_count=int(current_app.config["MIN_CELL_COUNT"]),
    )
