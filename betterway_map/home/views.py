"""The home page and each person's own page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from betterway_map.domain import vocab
from betterway_map.home.dashboard import dashboard_for
from betterway_map.web.access import public, signed_in

bp = Blueprint("main", __name__)

# The template of each role's part of "My page", under templates/dashboard/;
# the parts appear in the order of ``home.dashboard.DASHBOARD_ROLES``.
DASHBOARD_PARTS = {
    "resident": "dashboard/_resident.html",
    "org_admin": "dashboard/_org_admin.html",
    "worker": "dashboard/_worker.html",
    "council": "dashboard/_council.html",
    "site_admin": "dashboard/_site_admin.html",
}


@bp.route("/")
@public
def index():
    return render_template("main/index.html")


@bp.route("/me")
@signed_in
def dashboard():
    mine = dashboard_for(current_user._get_current_object())
    role_labels = vocab.labels(vocab.ROLES)
    return render_template(
        "main/dashboard.html",
        dashboard=mine,
        parts=[DASHBOARD_PARTS[role] for role in mine.roles],
        role_names=[role_labels[role] for role in mine.roles],
    )
