"""The whole ORUK API as files: what ``flask oruk export`` writes.

``DIR/index.json`` is ``/``; for each collection (``services``,
``service_at_locations``, ``taxonomies``, ``taxonomy_terms``)
``DIR/<collection>/page-<n>.json`` is every page of the unfiltered list and
``DIR/<collection>/<id>.json`` every record, each exactly as the API answers
it (the same mapping and the same JSON encoder). Files of an earlier export
in those folders are removed first, so a group that has ended since is not
left behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from betterway_map.interop.oruk import mapping, services
from betterway_map.interop.oruk.mapping import Links
from betterway_map.interop.oruk.query import Filters, Paging
from betterway_map.web.paging import paginate

__all__ = ["COLLECTIONS", "ExportReport", "export"]

COLLECTIONS = ("services", "service_at_locations", "taxonomies", "taxonomy_terms")


@dataclass
class ExportReport:
    pages: dict[str, int]
    records: dict[str, int]


# (page body, [(record id, record body), ...]) for each page of a collection.
Pages = Iterator[tuple[dict, list[tuple[str, dict]]]]


def _group_pages(at_a_space: bool, brief, full, per_page: int) -> Pages:
    query = services.active_groups(Filters(), at_a_space=at_a_space)
    number = 1
    while True:
        page = paginate(query, number, per_page)
        body = mapping.page_body(
            [brief(group) for group in page.items],
            total=page.total,
            page=number,
            per_page=per_page,
        )
        records = [(item["id"], full(group)) for item, group in zip(body["contents"], page.items)]
        yield body, records
        if number >= page.pages:
            return
        number += 1


def _vocabulary_pages(list_page, get_one, per_page: int) -> Pages:
    number = 1
    while True:
        body = list_page(Paging(number, per_page))
        yield body, [(item["id"], get_one(item["id"])) for item in body["contents"]]
        if body["last_page"]:
            return
        number += 1


def _pages(collection: str, links: Links, per_page: int) -> Pages:
    if collection == "services":
        return _group_pages(
            False,
            lambda group: mapping.service_brief(group, links),
            lambda group: mapping.service_full(group, links),
            per_page,
        )
    if collection == "service_at_locations":
        return _group_pages(
            True,
            lambda group: mapping.service_at_location_brief(group, links),
            lambda group: mapping.service_at_location_full(group, links),
            per_page,
        )
    if collection == "taxonomies":
        return _vocabulary_pages(services.list_taxonomies, services.get_taxonomy, per_page)
    return _vocabulary_pages(services.list_taxonomy_terms, services.get_taxonomy_term, per_page)


def export(
    out: Path,
    links: Links,
    dumps: Callable[[dict], str],
    *,
    per_page: int,
    progress: Callable[[int, int], None] = lambda done, more: None,
) -> ExportReport:
    """Write every page and record into ``out``; ``dumps`` is the app's JSON
    encoder; ``progress(files_written, files_found)`` follows along."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.json").write_text(dumps(mapping.about()), encoding="utf-8")
    report = ExportReport(pages={}, records={})
    for collection in COLLECTIONS:
        folder = out / collection
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
        report.pages[collection] = report.records[collection] = 0
        for body, records in _pages(collection, links, per_page):
            if body["page_number"] == 1:
                progress(0, body["total_pages"] + body["total_items"])
            path = folder / f"page-{body['page_number']}.json"
            path.write_text(dumps(body), encoding="utf-8")
            report.pages[collection] += 1
            for record_id, record in records:
                (folder / f"{record_id}.json").write_text(dumps(record), encoding="utf-8")
                report.records[collection] += 1
            progress(1 + len(records), 0)
    return report
