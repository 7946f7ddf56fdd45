"""API: the network — area figures for council viewers, a worker's people."""

from __future__ import annotations

from dataclasses import asdict

import marshmallow as ma
from flask_login import current_user

from betterway_map.network.report import area_report
from betterway_map.network.report_files import cells_geojson
from betterway_map.network.trends import trend_rows
from betterway_map.network.worker import my_people
from betterway_map.web.access import roles
from betterway_map.web.api import Blueprint

blp = Blueprint(
    "api_network",
    __name__,
    description="The network: area figures (aggregated and suppressed) and a worker's people",
)

_WITHHELD = "null when withheld (it would tell about fewer than MIN_CELL_COUNT people)"


class ShareSchema(ma.Schema):
    label = ma.fields.String()
    band = ma.fields.String(metadata={"description": "The age band (absent for the overall share)"})
    suppressed = ma.fields.Boolean()
    numerator = ma.fields.Integer(
        allow_none=True, metadata={"description": "People at risk reached; " + _WITHHELD}
    )
    denominator = ma.fields.Integer(
        allow_none=True, metadata={"description": "People at risk; " + _WITHHELD}
    )
    share = ma.fields.Float(allow_none=True, metadata={"description": "0 to 1; " + _WITHHELD})


class CoverageSchema(ma.Schema):
    overall = ma.fields.Nested(ShareSchema)
    by_age_band = ma.fields.List(ma.fields.Nested(ShareSchema))


class FeatureSchema(ma.Schema):
    type = ma.fields.String(metadata={"example": "Feature"})
    id = ma.fields.String(metadata={"description": "The H3 cell index"})
    geometry = ma.fields.Dict(
        metadata={"description": "A GeoJSON Polygon, (longitude, latitude) in WGS 84"}
    )
    properties = ma.fields.Dict(
        metadata={
            "description": "cell, name, people, at_risk, groups_within_walk,"
            " accessible_groups_within_walk, spaces_within_walk,"
            " accessible_spaces_within_walk, gap_score; at_risk and gap_score are null when"
            " withheld (see the council page 'How we protect people in these figures')"
        }
    )


class FeatureCollectionSchema(ma.Schema):
    type = ma.fields.String(metadata={"example": "FeatureCollection"})
    features = ma.fields.List(ma.fields.Nested(FeatureSchema))


class TotalsSchema(ma.Schema):
    cells_shown = ma.fields.Integer()
    cells_suppressed = ma.fields.Integer()
    people_in_shown_cells = ma.fields.Integer()
    people_outside_shown_cells = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "People in withheld areas or with no home location; " + _WITHHELD},
    )
    at_risk_in_shown_cells = ma.fields.Integer(
        metadata={"description": "In the shown cells whose at-risk count is shown"}
    )
    groups_active = ma.fields.Integer()


class OrgSetSchema(ma.Schema):
    index = ma.fields.Integer()
    size = ma.fields.Integer()
    names = ma.fields.List(ma.fields.String())


class OrgRowSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    sector = ma.fields.String()
    component = ma.fields.Integer(allow_none=True)
    community = ma.fields.Integer(allow_none=True)
    betweenness = ma.fields.Float()


class SectorMixSchema(ma.Schema):
    sectors = ma.fields.List(ma.fields.String())
    links = ma.fields.Integer()


class OrganisationNetworkSchema(ma.Schema):
    count = ma.fields.Integer()
    links = ma.fields.Integer()
    components = ma.fields.List(ma.fields.Nested(OrgSetSchema))
    communities = ma.fields.List(
        ma.fields.Nested(OrgSetSchema), metadata={"description": "Louvain, seeded"}
    )
    brokers = ma.fields.List(ma.fields.Nested(OrgRowSchema))
    cross_sector_share = ma.fields.Float(allow_none=True)
    sector_mix = ma.fields.List(ma.fields.Nested(SectorMixSchema))
    organisations = ma.fields.List(ma.fields.Nested(OrgRowSchema), attribute="rows")


class TrendSchema(ma.Schema):
    month = ma.fields.String(metadata={"example": "2025-03"})
    cells_shown = ma.fields.Integer()
    cells_suppressed = ma.fields.Integer()
    people_in_shown_cells = ma.fields.Integer(allow_none=True, metadata={"description": _WITHHELD})
    at_risk_in_shown_cells = ma.fields.Integer(allow_none=True, metadata={"description": _WITHHELD})
    groups_active = ma.fields.Integer()
    coverage_numerator = ma.fields.Integer(allow_none=True)
    coverage_denominator = ma.fields.Integer(allow_none=True)
    coverage_share = ma.fields.Float(allow_none=True)
    organisations = ma.fields.Integer()
    organisation_components = ma.fields.Integer()
    cross_sector_share = ma.fields.Float(allow_none=True)


class AreaSchema(ma.Schema):
    computed_on = ma.fields.String()
    computed_at = ma.fields.String(
        metadata={
            "format": "date-time",
            "description": "When these figures were computed (UTC, ISO 8601)",
        }
    )
    stale = ma.fields.Boolean(
        metadata={
            "description": "true when the register has changed since computed_at: these are"
            " the last figures (see updating)"
        }
    )
    updating = ma.fields.Boolean(
        metadata={
            "description": "true when newer figures are being computed (a recompute is"
            " running or queued); ask again in a minute or two"
        }
    )
    settings = ma.fields.Dict(metadata={"description": "Window, walking distance, resolution"})
    min_cell_count = ma.fields.Integer()
    totals = ma.fields.Nested(TotalsSchema)
    cells = ma.fields.Nested(FeatureCollectionSchema)
    coverage = ma.fields.Nested(CoverageSchema)
    organisations = ma.fields.Nested(OrganisationNetworkSchema)
    trends = ma.fields.List(ma.fields.Nested(TrendSchema))


class TieCountSchema(ma.Schema):
    kind = ma.fields.String()
    label = ma.fields.String()
    count = ma.fields.Integer()


class PersonNeedSchema(ma.Schema):
    person_id = ma.fields.Integer()
    name = ma.fields.String()
    status = ma.fields.String(
        metadata={"description": "isolated, professionals_only, weak or connected"}
    )
    status_label = ma.fields.String()
    active_ties = ma.fields.List(
        ma.fields.Nested(TieCountSchema), metadata={"description": "Active ties by kind"}
    )
    reasons = ma.fields.List(ma.fields.String())
    ucla_total = ma.fields.Integer(allow_none=True, metadata={"description": "3 to 9"})
    direct = ma.fields.String(allow_none=True)
    direct_label = ma.fields.String(allow_none=True)
    measured_on = ma.fields.Date(allow_none=True)
    at_risk = ma.fields.Boolean()


@blp.route("/area", methods=["GET"])
@roles("council", "site_admin")
@blp.response(200, AreaSchema)
def area():
    """The area's cells (GeoJSON), coverage, organisation network and trends.

    Only the cells whose figures are shown are listed: a cell withheld (too
    few people, or withheld so that no small number can be worked out) has
    no geometry here at all. ``at_risk`` and ``gap_score`` are null where
    they are withheld; month against month, trend figures that would give a
    small number away are null.
    """
    report = area_report()
    return report | {"cells": cells_geojson(report["cells"]), "trends": trend_rows(report)}


@blp.route("/my-people", methods=["GET"])
@roles("worker")
@blp.response(200, PersonNeedSchema(many=True))
def my_people_list():
    """The signed-in worker's own people, most in need first, with the reasons."""
    return [
        asdict(row)
        | {"active_ties": [{"kind": k, "label": t, "count": n} for k, t, n in row.active_ties]}
        for row in my_people(current_user)
    ]
