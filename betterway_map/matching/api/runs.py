"""API: matching runs, the weights, and the feasibility of a draft request."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from betterway_map.matching.schemas.runs import (
    FeasibilityQuerySchema,
    RunOutSchema,
    RunSchema,
    WeightsSchema,
)
from betterway_map.matching.services import feasibility, runs, weights
from betterway_map.matching.views.journey import match_link
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint("api_matching", __name__, description="Matching runs and their weights")


def _user():
    return current_user._get_current_object()


def _run_json(detail: dict) -> dict:
    run = detail["run"]
    return {
        "id": run.id,
        "area": run.area,
        "request_count": run.request_count,
        "offer_count": run.offer_count,
        "proposal_count": run.proposal_count,
        "total_score": run.total_score,
        "weights": run.weights,
        "proposals": detail["proposals"],
        "unmatched": detail["unmatched"],
        "unmatched_summary": detail["summary"],
        "waiting_volunteers": detail["waiting"],
    }


@blp.route("/runs", methods=["POST"])
@roles("worker")
@blp.arguments(RunSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, RunOutSchema)
def create_run(data: dict):
    """Run matching for an area (postcode districts; empty: everywhere)."""
    run_id = runs.run_matching(_user(), data["area"], link_for=match_link)
    response = jsonify(_run_json(runs.run_detail(_user(), run_id)))
    response.status_code = 201
    return response


@blp.route("/runs/<int:run_id>", methods=["GET"])
@roles("worker")
@blp.response(200, RunOutSchema)
def get_run(run_id: int):
    """A run: proposals (first names and postcode districts only), unmatched, waiting."""
    return jsonify(_run_json(runs.run_detail(_user(), run_id)))


@blp.route("/weights", methods=["GET"])
@roles("site_admin")
@blp.response(200, WeightsSchema)
def get_weights():
    """The weights in force."""
    return jsonify(weights.current_weights().as_dict())


@blp.route("/weights", methods=["PUT"])
@roles("site_admin")
@blp.arguments(WeightsSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, WeightsSchema)
def put_weights(data: dict):
    """Change some weights: each a number from 0 to 10; all or nothing."""
    return jsonify(weights.set_weights(_user(), data).as_dict())


@blp.route("/feasibility", methods=["GET"])
@roles("worker", "resident")
@blp.arguments(FeasibilityQuerySchema, location="query")
@blp.response(200)
def get_feasibility(query: dict):
    """How many volunteers would fit a draft request, and which rule removes the most."""
    person_id = query.pop("person_id")
    return jsonify(feasibility.feasibility_for_draft(_user(), person_id, query))
