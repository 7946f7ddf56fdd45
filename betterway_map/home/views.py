"""The home page and each person's own page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from betterway_map.domain import vocab
from betterway_map.web.access import public, signed_in

bp = Blueprint("main", __name__)

# The parts of "My page" each role sees, in this order; each is a template
# under templates/dashboard/ owned by the feature it links to.
DASHBOARD_PARTS = (
    ("resident", "dashboard/_resident.html"),
    ("org_admin", "dashboard/_org_admin.html"),
    ("worker", "dashboard/_worker.html"),
    ("council", "dashboard/_council.html"),
    ("site_admin", "dashboard/_site_admin.html"),
)


@bp.route("/")
@public
def index():
    return render_template("main/index.html")


@bp.route("/me")
@signed_in
def dashboard():
    parts = [template for role, template in DASHBOARD_PARTS if current_user.has_role(role)]
    role_labels = vocab.labels(vocab.ROLES)
    return render_template(
        "main/dashboard.html",
        parts=parts,
        role_names=[role_labels[r] for r, _ in DASHBOARD_PARTS if current_user.has_role(r)],
    )
