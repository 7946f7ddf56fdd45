"""Pages: run matching for an area, read a run, set the weights."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from betterway_map.domain.matching.model import WEIGHT_NAMES
from betterway_map.errors import InvalidInput
from betterway_map.matching.services import runs, weights
from betterway_map.matching.views.journey import match_link
from betterway_map.web.access import roles

bp = Blueprint("matching_runs", __name__, url_prefix="/matching")

WEIGHT_LABELS = {
    "distance": "Distance (closer is better)",
    "interests": "Shared interests",
    "availability": "Shared free times",
    "lived_experience": "Shared lived experience",
    "continuity": "Continuity (a former volunteer first)",
    "priority": "Priority for those most in need",
}


def _user():
    return current_user._get_current_object()


def _index(area: str, errors: dict | None = None, status: int = 200):
    return render_template(
        "matching/runs/index.html",
        area=area,
        runs=runs.recent_runs(_user()),
        errors=errors or {},
    ), status


@bp.route("/")
@roles("worker")
def index():
    return _index(" ".join(runs.default_area(_user())))


@bp.route("/", methods=["POST"])
@roles("worker")
def run():
    area = request.form.get("area", "")
    try:
        run_id = runs.run_matching(_user(), area, link_for=match_link)
    except InvalidInput as error:
        return _index(area, error.errors or {"area": [str(error)]}, 400)
    return redirect(url_for("matching_runs.detail", run_id=run_id))


@bp.route("/runs/<int:run_id>")
@roles("worker")
def detail(run_id: int):
    return render_template("matching/runs/detail.html", **runs.run_detail(_user(), run_id))


def _weights_page(values: dict, errors: dict | None = None, status: int = 200):
    return render_template(
        "matching/runs/weights.html",
        names=WEIGHT_NAMES,
        labels=WEIGHT_LABELS,
        values=values,
        errors=errors or {},
    ), status


@bp.route("/weights")
@roles("site_admin")
def weights_page():
    return _weights_page(weights.current_weights().as_dict())


@bp.route("/weights", methods=["POST"])
@roles("site_admin")
def set_weights():
    data = {name: request.form.get(name, "") for name in WEIGHT_NAMES}
    try:
        weights.set_weights(_user(), data)
    except InvalidInput as error:
        return _weights_page(data, error.errors, 400)
    return redirect(url_for("matching_runs.weights_page"))
