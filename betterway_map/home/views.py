"""The home page and each person's own page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from betterway_map.domain import vocab
from betterway_map.home.dashboard import dashboard_for
from betterway_map.web.access import public, signed_in

bp = Blueprint("main", __name__)

# The template of each role's part of "My page", under templates/home/dashboard/;
# the parts appear in the order of ``home.dashboard.DASHBOARD_ROLES``.
DASHBOARD_PARTS = {
    "resident": "home/dashboard/_resident.html",
    "org_admin": "home/dashboard/_org_admin.html",
    "worker": "home/dashboard/_worker.html",
    "council": "home/dashboard/_council.html",
    "site_admin": "home/dashboard/_site_admin.html",
}


@bp.route("/")
@public
def index():
    return render_template("home/index.html")


@bp.route("/me")
@signed_in
def dashboard():
    mine = dashboard_for(current_user._get_current_object())
    role_labels = vocab.labels(vocab.ROLES)
    return render_template(
        "home/dashboard.html",
        dashboard=mine,
        parts=[DASHBOARD_PARTS[role] for role in mine.roles],
        role_names=[role_labels[role] for role in mine.roles],
    )
