"""Lists in pages: what every page says about where it sits in the whole."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select

from betterway_map.extensions import db

__all__ = ["Page", "Paged", "page_count", "paginate"]


def page_count(total: int, page_size: int) -> int:
    """How many pages ``total`` items fill, ``page_size`` a page: at least one,
    so that an empty list is "page 1 of 1".

    >>> page_count(0, 20), page_count(20, 20), page_count(21, 20)
    (1, 1, 2)
    """
    return max(1, math.ceil(total / page_size))


class Paged:
    """Mixin for results with ``page``, ``page_size`` and ``total``; the
    items are a field of the result, under whatever name suits it."""

    page: int
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)

    @property
    def pagination(self) -> dict:
        return {
            "page": self.page,
            "page_size": self.page_size,
            "total": self.total,
            "pages": self.pages,
        }


@dataclass(frozen=True)
class Page(Paged):
    """One page of a list, and where it sits in the whole."""

    items: list
    page: int
    page_size: int
    total: int


def paginate(query, page: int, page_size: int) -> Page:
    """Run ``query`` (a select of one entity) for one page, with the total count."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(page_size).offset((page - 1) * page_size)))
    return Page(items=items, page=page, page_size=page_size, total=total or 0)
