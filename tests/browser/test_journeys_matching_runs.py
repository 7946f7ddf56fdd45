"""A community worker runs matching for an area in headless chromium, with
axe-core (WCAG 2.2 A and AA) on every page: the proposals with their reasons,
the requests left unmatched and why, the "whom to recruit" summary and the
volunteers waiting; then a proposal's own page, from which the worker
withdraws it with a reason."""

from __future__ import annotations

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

WORKER_EMAIL = "wanda.runs@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.matching import make_request, make_volunteer

    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wanda")
    make_volunteer(
        app,
        worker,
        person={"first_name": "Vera", "address": "9 Vale Close"},
        languages=["en", "pl"],
        interests=["gardening"],
    )
    make_volunteer(app, worker, person={"first_name": "Val"}, kinds=["shopping"])
    make_request(
        app,
        worker,
        person={"first_name": "Iris", "address": "7 Hidden Lane", "phone": "0113 496 0001"},
        languages=["pl"],
        interests=["gardening"],
    )
    make_request(app, worker, person={"first_name": "Olga"}, languages=["gu"])
    make_request(app, worker, person={"first_name": "Nell", "postcode": "LS9 8AA"})


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_a_worker_runs_matching_and_reads_the_reasons(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, WORKER_EMAIL)
    visit(page, f"{base}/matching/")
    page.get_by_label("Area").fill("LS2")
    _click(page, "button", "Run matching")
    assert "/matching/runs/" in page.url
    main = page.inner_text("main")
    assert "Open requests\n2" in main or "Open requests\t2" in main  # Nell (LS9) is outside
    # The proposal, with its reasons.
    assert "Iris (LS2) with Vera (LS1)" in main
    assert "both speak Polish" in main and "both enjoy gardening and nature" in main
    # The request left unmatched, and whom to recruit.
    assert "Olga (LS2): no volunteer who offers befriending by phone speaks Gujarati" in main
    summary = page.get_by_role("table", name="Why requests were left unmatched")
    assert "speaks Gujarati" in summary.inner_text()
    # The volunteers waiting, with how long.
    assert "Val (LS1): waiting 10 days" in main
    for secret in ("9 Vale Close", "7 Hidden Lane", "0113 496 0001"):
        assert secret not in page.content()

    _click(page, "link", "Iris (LS2) with Vera (LS1)")
    assert "/matching/matches/" in page.url
    main = page.inner_text("main")
    assert "Proposed" in main and "both speak Polish" in main
    page.get_by_label("Why it is withdrawn").fill("Vera is away for a month.")
    _click(page, "button", "Withdraw this proposal")
    assert "withdrawn" in page.inner_text(".messages")
    assert "Withdrawn by a worker" in page.inner_text("main")

    visit(page, f"{base}/matching/")
    _click(page, "link", "Run 1")
    assert "Iris (LS2) with Vera (LS1)" in page.inner_text("main")
    watch.check(page)
