"""A worker's continuity warnings as a table (and its chart and CSV).

These are about the worker's own people, whom they may see in full, so
nothing is withheld; the page and the CSV are no-store like every page for
a signed-in role (``web.access``).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from betterway_map.web.charts import bar_chart
from betterway_map.web.tables import Column, Table

__all__ = ["WARNING_COLUMNS", "warnings_table", "warnings_chart"]

WARNING_COLUMNS = (
    Column("person_name", "Person"),
    Column("with", "Contact with"),
    Column("rhythm", "Agreed"),
    Column("last_contact_on", "Last contact"),
    Column("days_since", "Days since", "count"),
    Column("message", "Warning"),
)


def _with(warning) -> str:
    if warning.kind == "caseload":
        return "You"
    return f"Volunteer {warning.with_name}".strip()


def warnings_table(warnings: Sequence) -> Table:
    """One row per warning, longest gap first (the service's order)."""
    rows = [
        {
            "person_name": w.person_name,
            "person_id": w.person_id,
            "match_id": w.match_id,
            "with": _with(w),
            "rhythm": w.rhythm,
            "last_contact_on": w.last_contact_on.isoformat() if w.last_contact_on else "none yet",
            "days_since": w.days_since,
            "message": w.message,
        }
        for w in warnings
    ]
    return Table(
        "continuity-warnings",
        "People whose contacts have fallen behind the rhythm agreed, longest gap first",
        WARNING_COLUMNS,
        tuple(rows),
    )


def warnings_chart(table: Table) -> Markup | None:
    """Days since the last contact, one bar per warning."""
    if not table.rows:
        return None
    labelled = Table(
        table.name,
        table.caption,
        (Column("label", "Relationship"), *table.columns),
        tuple(
            {
                "label": f"{row['person_name']}, with {row['with'].lower() if row['with'] == 'You' else row['with']}"
            }
            | row
            for row in table.rows
        ),
    )
    return bar_chart(labelled, "label", ["days_since"], "Days since the last contact")
