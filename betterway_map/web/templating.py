"""The template filters and globals every page may use, registered once by ``create_app``."""

from __future__ import annotations

import secrets

from flask import Flask, g, request, url_for

from betterway_map.domain import vocab
from betterway_map.domain.dates import clock_time, long_date, moment, stored_moment
from betterway_map.domain.money import format_pence
from betterway_map.web.tables import WITHHELD

__all__ = ["register_template_helpers"]


def vocab_label(value, vocabulary) -> str:
    """The label of ``value`` in a vocabulary (the value itself if it has none)."""
    return dict(vocabulary).get(value, value)


def csp_nonce() -> str:
    """A per-response nonce for the few inline <script> and <style> elements
    a page needs (a map's); the Content-Security-Policy header allows
    exactly these and nothing else inline."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def page_url(number: int) -> str:
    """This page's address at page ``number``, keeping every value of every
    query parameter (``?day=mon&day=tue`` stays both days)."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register_template_helpers(app: Flask) -> None:
    """Filters ``money``, ``long_date``, ``meeting`` (= ``moment``), ``stored_moment``, ``clock_time``,
    ``vocab_label``; the
    globals ``csp_nonce()`` and ``page_url(number)``; ``vocab`` in every template."""
    app.add_template_filter(format_pence, "money")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(moment, "meeting")
    app.add_template_filter(moment, "moment")
    app.add_template_filter(stored_moment, "stored_moment")
    app.add_template_filter(clock_time, "clock_time")
    app.add_template_filter(vocab_label, "vocab_label")
    app.add_template_global(csp_nonce, "csp_nonce")
    app.add_template_global(page_url, "page_url")
    app.add_template_global(WITHHELD, "withheld_text")
    app.context_processor(lambda: {"vocab": vocab})
