"""Council viewers see the whole area as counts, never a row about a person."""

from __future__ import annotations

from flask import Blueprint, render_template

from betterway_map.network.summary import area_summary
from betterway_map.web.access import roles

bp = Blueprint("council", __name__, url_prefix="/council")


@bp.route("")
@roles("council", "site_admin")
def index():
    return render_template("network/council/index.html", summary=area_summary())
