"""The full address of an emailed one-off link, for the account services."""

from __future__ import annotations

from flask import current_app, request, url_for

__all__ = ["password_link"]


def password_link(token: str) -> str:
    """The address of the page that chooses a password with ``token``.

    It starts with ``PUBLIC_BASE_URL`` when that is set, so that a forged
    ``Host`` header cannot point a victim's link at someone else's site
    (reset poisoning). Production always has it (``create_app`` refuses to
    start without it) and never uses anything else. Elsewhere, without it, the
    request's own address is used, which is only safe behind a proxy that
    checks the host (or with ``TRUSTED_HOSTS``).
    """
    path = url_for("auth.reset_password", token=token)
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + path
    if current_app.config.get("PUBLIC_BASE_URL_REQUIRED"):
        raise RuntimeError("PUBLIC_BASE_URL is not set; emailed links need it in production.")
    current_app.logger.warning(
        "PUBLIC_BASE_URL is not set: emailed links use the address of the request (%s).",
        request.host_url,
    )
    return request.host_url.rstrip("/") + path
