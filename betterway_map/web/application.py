"""The Flask class the app is made from: Flask, asking once per function
whether it is a coroutine function.

Flask asks ``inspect.iscoroutinefunction`` of every hook, handler and view
each time it calls one (``Flask.ensure_sync``): some seventeen times a
request here, about 2% of a nearby search's time. A function's answer does
not change, so the functions known to be plain ones are remembered (up to
``KNOWN_MAX``, past which Flask is asked as before); coroutine functions go
to Flask each time, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

__all__ = ["Application", "KNOWN_MAX"]

# Far more than the app's views, hooks and handlers together.
KNOWN_MAX = 4096


class Application(Flask):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._known_sync: set[Callable] = set()

    def ensure_sync(self, func: Callable) -> Callable:
        try:
            if func in self._known_sync:
                return func
        except TypeError:  # an unhashable callable: Flask decides
            return super().ensure_sync(func)
        made = super().ensure_sync(func)
        if made is func and len(self._known_sync) < KNOWN_MAX:
            self._known_sync.add(func)
        return made
