"""The Open Referral UK API at ``/oruk``: read-only, public, JSON, CORS ``*``.

The nine endpoints of the ORUK 3.0 OpenAPI. Where the published OpenAPI
and the JSON Schemas disagree we follow the JSON Schemas:
``/service_at_locations/{id}`` answers a ``service_at_location`` (the
OpenAPI names ``service``), and ``start_time``/``end_time`` are read as
times of day (the OpenAPI's ``type: time`` is not a JSON Schema type).
Errors answer JSON here too: ``{"code", "status", "message", "errors"}``,
400 for a bad filter value, 404 for an unknown id.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from betterway_map.errors import BetterWayError
from betterway_map.interop.oruk import services
from betterway_map.interop.oruk.mapping import Links, about
from betterway_map.interop.oruk.query import read_filters, read_paging
from betterway_map.web.access import public

__all__ = ["bp", "BASE_PATH", "site_links"]

BASE_PATH = "/oruk"

bp = Blueprint("oruk", __name__, url_prefix=BASE_PATH)


def site_links() -> Links:
    """Full URLs of our own group and organisation pages (needs a request context)."""
    return Links(
        group=lambda number: url_for("groups.detail", group_id=number, _external=True),
        organisation=lambda number: url_for(
            "organisations.detail", organisation_id=number, _external=True
        ),
    )


@bp.after_request
def _anyone_may_read(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _error(code: int, name: str, message: str, errors: dict | None = None):
    payload = {"code": code, "status": name, "message": message}
    if errors:
        payload["errors"] = {"query": errors}
    response = jsonify(payload)
    response.status_code = code
    return response


@bp.errorhandler(BetterWayError)
def _domain_error(error: BetterWayError):
    name = {400: "Bad Request", 404: "Not Found"}.get(error.status_code, "Error")
    return _error(error.status_code, name, error.message, error.errors)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return _error(error.code or 500, error.name, error.description or error.name)


@bp.route("/")
@public
def index():
    """The HSDS version, profile and OpenAPI this API follows."""
    return jsonify(about())


@bp.route("/services")
@public
def list_services():
    filters, paging = read_filters(request.args), read_paging(request.args)
    return jsonify(services.list_services(filters, paging, site_links()))


@bp.route("/services/<service_id>")
@public
def service(service_id: str):
    return jsonify(services.get_service(service_id, site_links()))


@bp.route("/service_at_locations")
@public
def list_service_at_locations():
    filters, paging = read_filters(request.args), read_paging(request.args)
    return jsonify(services.list_services_at_locations(filters, paging, site_links()))


@bp.route("/service_at_locations/<service_at_location_id>")
@public
def service_at_location(service_at_location_id: str):
    return jsonify(services.get_service_at_location(service_at_location_id, site_links()))


@bp.route("/taxonomies")
@public
def list_taxonomies():
    return jsonify(services.list_taxonomies(read_paging(request.args)))


@bp.route("/taxonomies/<taxonomy_id>")
@public
def taxonomy(taxonomy_id: str):
    return jsonify(services.get_taxonomy(taxonomy_id))


@bp.route("/taxonomy_terms")
@public
def list_taxonomy_terms():
    return jsonify(services.list_taxonomy_terms(read_paging(request.args)))


@bp.route("/taxonomy_terms/<taxonomy_term_id>")
@public
def taxonomy_term(taxonomy_term_id: str):
    return jsonify(services.get_taxonomy_term(taxonomy_term_id))
