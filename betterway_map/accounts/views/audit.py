"""The audit log for site admins: read and filter it, download it as CSV."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from betterway_map.accounts.schemas import AuditFilterSchema
from betterway_map.accounts.services import audit_log
from betterway_map.errors import InvalidInput
from betterway_map.web.access import roles
from betterway_map.web.forms import list_args
from betterway_map.web.tables import csv_stream

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

PER_PAGE = 50


def _filters() -> tuple[audit_log.AuditFilters, int]:
    args = list_args(AuditFilterSchema())
    page = args.pop("page", None) or 1
    return audit_log.AuditFilters(**args), page


@bp.route("")
@roles("site_admin")
def index():
    try:
        filters, page_number = _filters()
        page = audit_log.read_page(filters, page_number, PER_PAGE, current_user.id)
    except InvalidInput as error:
        return render_template(
            "accounts/audit/index.html",
            page=None,
            errors=error.errors or {"_schema": [error.message]},
            choices=audit_log.filter_choices(),
            headings=audit_log.HEADINGS,
        ), 400
    return render_template(
        "accounts/audit/index.html",
        page=page,
        errors={},
        choices=audit_log.filter_choices(),
        headings=audit_log.HEADINGS,
    )


@bp.route("/export.csv")
@roles("site_admin", fresh=True)
def export():
    try:
        filters, _ = _filters()
        rows = audit_log.export_rows(filters, current_user.id)
    except InvalidInput as error:
        return error.message, 400, {"Content-Type": "text/plain; charset=utf-8"}
    return csv_stream("audit-log.csv", audit_log.HEADINGS, (row.cells for row in rows))
