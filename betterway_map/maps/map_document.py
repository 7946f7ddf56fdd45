"""A map's data as the document its script fetches: the bytes, compressed once.

A map whose layers are large (the council map: every shown cell, group,
space and organisation of an area) does not carry them inside its page: the
page's script fetches them from a URL that names the document by its
digest, so the URL changes whenever what it holds changes, and a browser may
keep it. The bytes are made here once (compact JSON, and its gzip), kept
with the built map, and served as they are (``web.documents``).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass

__all__ = ["DIGEST_CHARS", "MapDocument", "is_digest"]

# Hex characters of the SHA-256 kept in a document's URL and ETag (128 bits).
DIGEST_CHARS = 32
# Made once per document, so the smallest output is worth the time.
GZIP_LEVEL = 9


def is_digest(text: str) -> bool:
    """Whether ``text`` could be a document's digest (lower-case hex, the length kept).

    >>> is_digest("0" * 32), is_digest("0" * 31), is_digest("G" * 32)
    (True, False, False)
    """
    return len(text) == DIGEST_CHARS and all(c in "0123456789abcdef" for c in text)


@dataclass(frozen=True)
class MapDocument:
    """A map's data as served: ``text`` (compact JSON, UTF-8), ``gzipped``
    (the same bytes gzip-compressed, with no timestamp: the same text always
    gives the same bytes) and ``digest`` (of ``text``).

    >>> document = MapDocument.of('{"a":1}')
    >>> document.text, len(document.digest), gzip.decompress(document.gzipped)
    (b'{"a":1}', 32, b'{"a":1}')
    >>> MapDocument.of('{"a":1}') == document
    True
    """

    text: bytes
    gzipped: bytes
    digest: str

    @classmethod
    def of(cls, json_text: str) -> MapDocument:
        raw = json_text.encode("utf-8")
        return cls(
            text=raw,
            gzipped=gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0),
            digest=hashlib.sha256(raw).hexdigest()[:DIGEST_CHARS],
        )
