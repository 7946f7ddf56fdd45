"""Every form that publishes something says so before it is sent."""

from __future__ import annotations

import pytest

from tests.factories.organisations import make_organisation


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/new",
        "/organisations/{org}/spaces/new",
        "/organisations/{org}/groups/new",
        "/organisations/{org}/partnerships/new?q=another",
    ],
)
def test_a_form_that_publishes_says_what_will_be_public_before_it_is_sent(app, signed_in, path):
    client, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    make_organisation(app, name="Another Trust")
    page = client.get(path.format(org=organisation_id)).get_data(as_text=True)
    main = page.split('<main id="main"')[1]
    assert '<form method="post" novalidate' in main
    before_form = main.split('<form method="post" novalidate')[0]
    assert "public-notice" in before_form and "<strong>public</strong>" in before_form
