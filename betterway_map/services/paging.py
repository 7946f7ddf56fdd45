"""What every page of a list says about where it sits in the whole."""

from __future__ import annotations

import math

__all__ = ["Paged"]


class Paged:
    """Mixin for results with ``page``, ``page_size`` and ``total``."""

    page: int
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def pagination(self) -> dict:
        return {
            "page": self.page,
            "page_size": self.page_size,
            "total": self.total,
            "pages": self.pages,
        }
