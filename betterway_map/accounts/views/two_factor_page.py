"""The page that sets two-factor sign-in up (QR code, key, code), drawn the
same way from the account page and from the sign-in of someone whose role
needs it."""

from __future__ import annotations

from flask import current_app, render_template

from betterway_map.accounts.services import two_factor

__all__ = ["setup_page"]


def setup_page(template: str, user, secret: str, form, status: int, **context):
    """``template`` with the steps for ``secret``; never kept by a browser or proxy."""
    uri = two_factor.provisioning_uri(user.email, secret)
    response = current_app.make_response(
        (
            render_template(
                template,
                form=form,
                secret=secret,
                secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
                qr=two_factor.qr_svg_data_uri(uri),
                **context,
            ),
            status,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response
