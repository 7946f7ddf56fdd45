"""Matrix cases for the Open Referral UK API at /oruk: read-only and public."""

from betterway_map.interop.oruk.ids import named_id, oruk_id
from tests.authorisation.matrix import PUBLIC, Case
from tests.factories.organisations import make_group, make_organisation, make_space


def _group(app, owner) -> int:
    organisation_id = make_organisation(app)
    return make_group(app, organisation_id, make_space(app, organisation_id))


def _service(app, owner):
    return {"service_id": oruk_id("service", _group(app, owner))}


def _service_at_location(app, owner):
    return {"service_at_location_id": oruk_id("service_at_location", _group(app, owner))}


def _taxonomy(app, owner):
    return {"taxonomy_id": named_id("taxonomy", "interests")}


def _taxonomy_term(app, owner):
    return {"taxonomy_term_id": named_id("taxonomy_term", "interests", "music")}


CASES = [
    Case("oruk.index", allowed=PUBLIC),
    Case("oruk.list_services", allowed=PUBLIC),
    Case("oruk.service", allowed=PUBLIC, record=_service, others_allowed=True),
    Case("oruk.list_service_at_locations", allowed=PUBLIC),
    Case(
        "oruk.service_at_location",
        allowed=PUBLIC,
        record=_service_at_location,
        others_allowed=True,
    ),
    Case("oruk.list_taxonomies", allowed=PUBLIC),
    Case("oruk.taxonomy", allowed=PUBLIC, record=_taxonomy, others_allowed=True),
    Case("oruk.list_taxonomy_terms", allowed=PUBLIC),
    Case("oruk.taxonomy_term", allowed=PUBLIC, record=_taxonomy_term, others_allowed=True),
]
