"""JSON answers written by orjson, the same JSON values as Flask's own.

Flask's ``DefaultJSONProvider`` writes each answer with the standard
library's ``json``; orjson writes the same value about ten times faster,
which is a tenth of a nearby search's time (benchmarks/README.md). Only the
answers (``jsonify`` and the API's bodies, compact as outside debug mode)
are written by orjson; ``dumps`` (templates' ``tojson``, the session cookie)
is Flask's, unchanged.

What orjson writes is the same JSON value, keys sorted as Flask sorts them:
dates and datetimes, dataclasses, decimals and anything with ``__html__``
are handed to Flask's own ``default`` (so a date is still an HTTP date).
One thing differs in the bytes, not in the value: characters beyond ASCII
are written as UTF-8 rather than ``\\u`` escapes (JSON is UTF-8, RFC 8259).
What orjson refuses (keys that
are not strings, integers beyond 64 bits, a value nothing can write) is
written by Flask's provider instead, which answers or refuses as before.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

__all__ = ["OrjsonProvider", "init_app"]

# Sorted keys, Flask's dates and dataclasses, and Flask's newline at the end.
_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_APPEND_NEWLINE
)


class OrjsonProvider(DefaultJSONProvider):
    """Flask's provider, with compact answers written by orjson."""

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)  # indented, for people reading it
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)


def init_app(app: Flask) -> None:
    app.json = OrjsonProvider(app)
