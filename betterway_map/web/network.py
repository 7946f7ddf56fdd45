"""The network for community workers: their people by need, and connectors.

Workers only, and only their own people (``services.network_people``).
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..services.network_people import connectors_for, my_people
from .access import roles

bp = Blueprint("network", __name__, url_prefix="/network")


@bp.route("/my-people")
@roles("worker")
def my_people_page():
    return render_template("network/my_people.html", people=my_people(current_user))


@bp.route("/connectors")
@roles("worker")
def connectors():
    return render_template("network/connectors.html", connectors=connectors_for(current_user))
