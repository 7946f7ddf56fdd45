"""The ORUK records, read from the register a page at a time.

Only active groups are services: a paused or ended group is not offered to
anyone, so it is in no list and its id answers 404 (as on the site, where
only active groups are listed). Every filter is a condition in the one SQL
query that is paged (``web.paging.paginate``: a count and one page of rows);
``postcode`` with ``proximity`` first finds the spaces within the distance
as nearby search does (``places.search.space_ids_within``), and keeps the
groups that meet at them.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from betterway_map.database import contains, json_list_contains
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.geocoding.locate import locate
from betterway_map.interop.oruk import mapping
from betterway_map.interop.oruk.ids import our_number
from betterway_map.interop.oruk.mapping import Links
from betterway_map.interop.oruk.query import BadFilter, Filters, Paging
from betterway_map.interop.oruk.taxonomies import (
    TAXONOMIES,
    TAXONOMIES_BY_ID,
    TERMS,
    TERMS_BY_ID,
    taxonomy_body,
    term_body,
)
from betterway_map.places.schemas import DEFAULT_RADIUS_KM
from betterway_map.places.search import space_ids_within
from betterway_map.register.models import Group
from betterway_map.web.paging import paginate

__all__ = [
    "DEFAULT_PROXIMITY_M",
    "active_groups",
    "list_services",
    "get_service",
    "list_services_at_locations",
    "get_service_at_location",
    "list_taxonomies",
    "get_taxonomy",
    "list_taxonomy_terms",
    "get_taxonomy_term",
]

# A postcode without a proximity searches as far as nearby search does by default.
DEFAULT_PROXIMITY_M = DEFAULT_RADIUS_KM * 1000


def _spaces_near(postcode: str, proximity_m: float | None) -> list[int]:
    try:
        place = locate(postcode, field="postcode")
    except InvalidInput as error:
        raise BadFilter("postcode", error.message) from None
    radius_km = (proximity_m or DEFAULT_PROXIMITY_M) / 1000
    return space_ids_within(place.latitude, place.longitude, radius_km)


def _conditions(filters: Filters) -> list:
    conditions = []
    if filters.text:
        text = filters.text.lower()
        conditions.append(
            or_(
                contains(func.lower(Group.name), text),
                contains(func.lower(func.coalesce(Group.description, "")), text),
            )
        )
    if filters.postcode:
        conditions.append(Group.space_id.in_(_spaces_near(filters.postcode, filters.proximity_m)))
    if filters.term:
        column = getattr(Group, filters.term.taxonomy.field)
        conditions.append(json_list_contains(column, filters.term.value))
    if filters.taxonomy:
        column = getattr(Group, filters.taxonomy.field)
        values = (term.value for term in filters.taxonomy.terms)
        conditions.append(or_(*(json_list_contains(column, value) for value in values)))
    if filters.day:
        conditions.append(Group.weekday == filters.day)
    if filters.start_time:
        conditions.append(Group.start_time >= filters.start_time)
    if filters.end_time:
        conditions.append(Group.end_time <= filters.end_time)
    # As ORUK's descriptions say: a minimum age of at least, a maximum age of
    # at most, the value given (groups that state no such age are left out).
    if filters.minimum_age is not None:
        conditions.append(Group.age_min >= filters.minimum_age)
    if filters.maximum_age is not None:
        conditions.append(Group.age_max <= filters.maximum_age)
    if filters.modified_after:
        conditions.append(Group.updated_at >= filters.modified_after)
    if filters.organisation_id is not None:
        conditions.append(Group.organisation_id == filters.organisation_id)
    return conditions


def active_groups(filters: Filters, *, at_a_space: bool):
    query = (
        select(Group)
        .where(Group.status == "active", *_conditions(filters))
        .options(selectinload(Group.space), selectinload(Group.organisation))
        .order_by(func.lower(Group.name), Group.id)
    )
    if at_a_space:
        query = query.where(Group.space_id.is_not(None))
    return query


def _page(query, paging: Paging, to_body) -> dict:
    page = paginate(query, paging.page, paging.per_page)
    return mapping.page_body(
        [to_body(item) for item in page.items],
        total=page.total,
        page=paging.page,
        per_page=paging.per_page,
    )


def _active_group(kind: str, text: str, *, at_a_space: bool = False) -> Group:
    number = our_number(kind, text)
    group = db.session.get(Group, number) if number is not None else None
    if group is None or group.status != "active" or (at_a_space and group.space is None):
        raise NotFound(f"There is no {kind} with the id {text!r}.")
    return group


def list_services(filters: Filters, paging: Paging, links: Links) -> dict:
    """A page of services, by name."""
    query = active_groups(filters, at_a_space=False)
    return _page(query, paging, lambda group: mapping.service_brief(group, links))


def get_service(service_id: str, links: Links) -> dict:
    return mapping.service_full(_active_group("service", service_id), links)


def list_services_at_locations(filters: Filters, paging: Paging, links: Links) -> dict:
    """A page of services at locations (groups that meet at a space), by name."""
    query = active_groups(filters, at_a_space=True)
    return _page(query, paging, lambda group: mapping.service_at_location_brief(group, links))


def get_service_at_location(service_at_location_id: str, links: Links) -> dict:
    group = _active_group("service_at_location", service_at_location_id, at_a_space=True)
    return mapping.service_at_location_full(group, links)


def _listed(items: tuple, paging: Paging, to_body) -> dict:
    """A page of a short list held in memory (the vocabularies)."""
    start = (paging.page - 1) * paging.per_page
    chosen = items[start : start + paging.per_page]
    return mapping.page_body(
        [to_body(item) for item in chosen],
        total=len(items),
        page=paging.page,
        per_page=paging.per_page,
    )


def list_taxonomies(paging: Paging) -> dict:
    return _listed(TAXONOMIES, paging, taxonomy_body)


def get_taxonomy(taxonomy_id: str) -> dict:
    taxonomy = TAXONOMIES_BY_ID.get(taxonomy_id.lower())
    if taxonomy is None:
        raise NotFound(f"There is no taxonomy with the id {taxonomy_id!r}.")
    return taxonomy_body(taxonomy, with_terms=True)


def list_taxonomy_terms(paging: Paging) -> dict:
    return _listed(TERMS, paging, term_body)


def get_taxonomy_term(taxonomy_term_id: str) -> dict:
    term = TERMS_BY_ID.get(taxonomy_term_id.lower())
    if term is None:
        raise NotFound(f"There is no taxonomy term with the id {taxonomy_term_id!r}.")
    return term_body(term)
