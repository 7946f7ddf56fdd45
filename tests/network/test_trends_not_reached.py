"""The trends never give away the people coverage did not reach.

Two months whose coverage counts are each safe, and safe against each
other (201 and 226 reached; 226 and 252 at risk), can still differ in the
people not reached by one (25 and 26): one person told apart. The older
month's coverage is withheld; the newer one (kept first) stays.
"""

from __future__ import annotations

from datetime import date

from betterway_map.extensions import db
from betterway_map.network.models import NetworkSnapshot
from betterway_map.network.trends import trend_rows


def _month(day: date, reached: int, at_risk: int) -> NetworkSnapshot:
    return NetworkSnapshot(
        month=day,
        cells_shown=30,
        cells_suppressed=5,
        people_in_shown_cells=2900,
        at_risk_in_shown_cells=200,
        groups_active=250,
        coverage_numerator=reached,
        coverage_denominator=at_risk,
        coverage_share=reached / at_risk,
        organisations=40,
        organisation_components=2,
        cross_sector_share=0.5,
    )


def test_a_month_whose_people_not_reached_differ_by_one_loses_its_coverage(app_ctx):
    db.session.add_all([_month(date(2026, 1, 1), 201, 226), _month(date(2026, 2, 1), 226, 252)])
    db.session.commit()
    older, newer = trend_rows(min_count=5)
    assert (newer["coverage_numerator"], newer["coverage_denominator"]) == (226, 252)
    assert (older["coverage_numerator"], older["coverage_denominator"]) == (None, None)
    assert older["coverage_percent"] is None and newer["coverage_percent"] == 89.7
