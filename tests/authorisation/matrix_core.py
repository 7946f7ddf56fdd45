"""Matrix cases for the core routes: home, own page, sign-in, the API's /me."""

from tests.authorisation.matrix import PUBLIC, SIGNED_IN, Case

CASES = [
    Case(
        "static",
        allowed=PUBLIC,
        others_allowed=True,
        record=lambda app, owner: {"filename": "css/site.css"},
    ),
    Case("main.index", allowed=PUBLIC),
    Case("main.dashboard", allowed=SIGNED_IN),
    Case("auth.login", allowed=PUBLIC),
    Case("auth.login", method="POST", allowed=PUBLIC),
    Case("auth.register", allowed=PUBLIC),
    Case("auth.register", method="POST", allowed=PUBLIC),
    Case("auth.logout", method="POST", allowed=PUBLIC),
    Case("auth.confirm", allowed=SIGNED_IN),
    Case("auth.confirm", method="POST", allowed=SIGNED_IN),
    Case("api-docs.openapi_json", allowed=PUBLIC),
    Case("api_meta.me", allowed=SIGNED_IN),
]
