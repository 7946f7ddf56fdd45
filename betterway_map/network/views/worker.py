"""The network for community workers: their people by need, and connectors.

Workers only, and only their own people (``network.worker``).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from betterway_map.errors import InvalidInput
from betterway_map.network.worker import STATUS_LABELS, connectors_for
from betterway_map.network.worker import my_people_page as my_people_page_of
from betterway_map.web.access import roles
from betterway_map.web.fields import page_number

bp = Blueprint("network", __name__, url_prefix="/network")


@bp.route("/my-people")
@roles("worker")
def my_people_page():
    status = request.args.get("status") or None
    raw_page = request.args.get("page", "1")
    try:
        page = page_number(raw_page)
        if page is None:
            message = f"{raw_page!r} is not a page number: use a whole number from 1."
            raise InvalidInput(message, {"page": [message]})
        found = my_people_page_of(current_user, status=status, page=page)
    except InvalidInput as error:
        return render_template(
            "network/worker/my_people.html",
            found=None,
            errors=error.errors,
            status=status,
            labels=STATUS_LABELS,
        ), 400
    return render_template(
        "network/worker/my_people.html", found=found, errors={}, status=status, labels=STATUS_LABELS
    )


@bp.route("/connectors")
@roles("worker")
def connectors():
    return render_template(
        "network/worker/connectors.html", connectors=connectors_for(current_user)
    )
