"""Council viewers see the whole area as counts, never a row about a person."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..services.area import area_summary
from .access import roles

bp = Blueprint("council", __name__, url_prefix="/council")


@bp.route("")
@roles("council", "site_admin")
def index():
    return render_template("council/index.html", summary=area_summary())
