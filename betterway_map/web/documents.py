"""A document made once and named by its digest, served as it was made.

The application compresses nothing on the fly: a document worth
compressing (a map's data) is compressed once, when it is made, and kept.
``document_response`` sends the gzip bytes to a client whose
``Accept-Encoding`` takes gzip and the plain bytes to any other, says which
with ``Vary: Accept-Encoding``, and lets the browser keep it but not use it
without asking: ``Cache-Control: private, no-cache`` and an ETag for each
encoding, so each use is a request that passes the access checks again
(someone signed out on a shared computer is refused, not served from the
cache) and is answered 304, with no body, when the browser has it already.
The URL names the document by its digest, so a 304 is always right. Only a view declared
``web.access.private_cache`` keeps that ``Cache-Control``: on every other
route the access hook marks a signed-in answer ``no-store``.
"""

from __future__ import annotations

from flask import Response, request

__all__ = ["document_response", "plain_error"]


def _takes_gzip() -> bool:
    """Whether the request's Accept-Encoding takes gzip (``gzip`` or ``*``
    with a quality above 0)."""
    return request.accept_encodings["gzip"] > 0


def document_response(
    text: bytes,
    gzipped: bytes,
    digest: str,
    *,
    mimetype: str = "application/json",
) -> Response:
    """The document (``text``, and the same bytes as ``gzipped``) for this
    request: gzip when the client takes it, identity otherwise; 304 when
    the client already has this encoding of it (``If-None-Match``)."""
    compressed = _takes_gzip()
    response = Response(gzipped if compressed else text, mimetype=mimetype)
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    # One ETag per encoding (RFC 9110, 8.8.3): they are different bytes.
    response.set_etag(f"{digest}-gzip" if compressed else digest)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)


def plain_error(message: str, status: int) -> Response:
    """A short plain-text answer for a script's request (no page around it)."""
    return Response(message + "\n", status=status, mimetype="text/plain")
