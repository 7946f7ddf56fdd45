"""``flask demo``: writes the generated area in one transaction, prints the logins."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from betterway_map.accounts.models import User
from betterway_map.demo import load as demo_service
from betterway_map.demo.generator import generate
from betterway_map.demo.generator.need import INDICATOR_NAME, need_files
from betterway_map.domain.geo.area_files import match_files
from betterway_map.extensions import db
from betterway_map.geocoding.models import AreaIndicator, AreaIndicatorValue, PostcodePoint
from betterway_map.people.models import Assignment, Consent, LonelinessMeasure, Person
from betterway_map.register.models import Organisation, Partnership
from tests.conftest import csrf_token, make_user
from tests.factories.days import demo_day
from tests.factories.organisations import make_organisation

SMALL = ["demo", "--people", "200", "--seed", "5"]
ROLES = ("resident", "org_admin", "worker", "council", "site_admin")
LOGINS = (*ROLES, "requester")  # a second resident, who asked for a befriender
TWO_FACTOR = ("worker", "site_admin")  # roles that must sign in with a code
# What each table holds for each kind of generated record.
TABLES = {
    "postcodes": "postcodes",
    "organisations": "organisations",
    "spaces": "spaces",
    "groups": "groups",
    "partnerships": "partnerships",
    "people": "people",
    "assignments": "assignments",
    "consents": "consents",
    "measures": "loneliness_measures",
    "ties": "ties",
    "volunteers": "volunteer_profiles",
    "attendances": "attendances",
    "listings": "help_listings",
    "offers": "volunteer_offers",
    "support_requests": "support_requests",
    "matches": "matches",
    "match_events": "match_events",
    "rhythms": "rhythms",
    "contacts": "contacts",
    "feedback": "relationship_feedback",
    "accounts": "users",
}


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return demo_service.table_counts()


def _register_rows(app) -> int:
    return sum(_counts(app).values())


def _password(output: str) -> str:
    match = re.search(r"Password: (\S+)", output)
    assert match, output
    return match.group(1)


def test_demo_writes_every_generated_record(app, runner):
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 0, result.output
    expected = generate(seed=5, people=200, today=demo_day(app)).counts()
    # Measures taken before and after a relationship began are loneliness measures too.
    expected["measures"] += expected["relationship_measures"]
    counts = _counts(app)
    for kind, table in TABLES.items():
        assert counts[table] == expected[kind], kind
    assert counts["organisation_admins"] >= 2


def test_demo_prints_a_summary_the_logins_and_that_the_data_is_fictional(runner):
    result = runner.invoke(args=SMALL)
    assert re.search(r"people\s+200\b", result.output)
    for login in LOGINS:
        assert f"{login}@demo.betterway.example" in result.output
    assert "FICTIONAL" in result.output
    assert len(_password(result.output)) >= 12


@pytest.mark.parametrize("login", LOGINS)
def test_each_demo_login_signs_in_with_the_printed_password(app, runner, login):
    role = "resident" if login == "requester" else login
    output = runner.invoke(args=SMALL).output
    client = app.test_client()
    response = client.post(
        "/auth/login",
        data={
            "email": f"{login}@demo.betterway.example",
            "password": _password(output),
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    if role in TWO_FACTOR:  # then the code that `flask demo code` gives
        assert response.headers["Location"] == "/auth/two-factor"
        code = runner.invoke(args=["demo", "code", login]).stdout.strip()
        response = client.post(
            "/auth/two-factor", data={"code": code, "csrf_token": csrf_token(client)}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert client.get("/me").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email.like(f"{login}@%")))
        assert user.role_names == {role}


def test_the_worker_and_site_admin_logins_print_their_two_factor_keys(app, runner):
    output = runner.invoke(args=SMALL).output
    saved = json.loads((Path(app.instance_path) / "demo_logins.json").read_text())
    assert set(saved["totp_secrets"]) == {f"{r}@demo.betterway.example" for r in TWO_FACTOR}
    for email, secret in saved["totp_secrets"].items():
        assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in output
        assert f"otpauth://totp/Better%20Way%20Map:{email.replace('@', '%40')}" in output
    again = runner.invoke(args=["demo", "--if-empty"]).output
    assert all(secret[:4] in again for secret in saved["totp_secrets"].values())


@pytest.mark.parametrize("who", ["worker", "SITE_ADMIN@demo.betterway.example"])
def test_demo_code_prints_the_current_code_of_a_demo_login(app, runner, who):
    runner.invoke(args=SMALL)
    result = runner.invoke(args=["demo", "code", who])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"\d{6}", result.stdout.strip())


def test_demo_code_refuses_any_account_that_is_not_a_demo_login(app, runner):
    runner.invoke(args=SMALL)
    make_user(app, "worker", email="real.worker@example.org")
    result = runner.invoke(args=["demo", "code", "real.worker@example.org"])
    assert result.exit_code == 1 and "not a login of the demo" in result.output
    assert not re.search(r"\b\d{6}\b", result.output)


def test_demo_code_of_a_login_without_two_factor_says_so(app, runner):
    runner.invoke(args=SMALL)
    result = runner.invoke(args=["demo", "code", "resident"])
    assert result.exit_code == 1 and "no two-factor sign-in" in result.output


def test_demo_code_without_a_demo_refuses(app, runner):
    Path(app.instance_path, "demo_logins.json").unlink(missing_ok=True)
    result = runner.invoke(args=["demo", "code", "worker"])
    assert result.exit_code == 1 and "not a login of the demo" in result.output


def test_a_second_run_is_refused_and_changes_nothing(app, runner):
    runner.invoke(args=SMALL)
    before = _counts(app)
    result = runner.invoke(args=["demo", "--people", "300"])
    assert result.exit_code == 1
    assert "--reset" in result.output and "already has data" in result.output
    assert _counts(app) == before


def test_if_empty_does_nothing_when_there_is_data(app, runner):
    runner.invoke(args=SMALL)
    before = _counts(app)
    result = runner.invoke(args=["demo", "--if-empty", "--seed", "9"])
    assert result.exit_code == 0
    assert "nothing done" in result.output
    assert _counts(app) == before


def test_if_empty_loads_an_empty_database(app, runner):
    result = runner.invoke(args=[*SMALL, "--if-empty"])
    assert result.exit_code == 0, result.output
    assert _counts(app)["people"] == 200
    assert _indicator_areas(app) == _expected_indicator_areas(app, 5, 200)


def _indicator_areas(app) -> dict[str, int]:
    """The demo indicator's areas as loaded: code -> decile."""
    with app.app_context():
        indicators = db.session.scalars(select(AreaIndicator)).all()
        if not indicators:
            return {}
        [indicator] = indicators
        assert indicator.name == INDICATOR_NAME and "fictional" in indicator.licence.lower()
        return dict(
            db.session.execute(
                select(AreaIndicatorValue.area_code, AreaIndicatorValue.decile).where(
                    AreaIndicatorValue.indicator_id == indicator.id
                )
            ).all()
        )


def _expected_indicator_areas(app, seed: int, people: int) -> dict[str, int]:
    files = need_files(generate(seed=seed, people=people, today=demo_day(app)))
    if files is None:
        return {}
    values, boundaries = files
    return {row.code: row.decile for row in match_files(values, boundaries, True).rows}


def test_the_demo_loads_its_area_indicator_once_however_it_is_run(app, runner):
    assert runner.invoke(args=SMALL).exit_code == 0
    first = _indicator_areas(app)
    assert first == _expected_indicator_areas(app, 5, 200) and first
    result = runner.invoke(args=["demo", "--reset", "--people", "400", "--seed", "6"])
    assert result.exit_code == 0, result.output
    assert _indicator_areas(app) == _expected_indicator_areas(app, 6, 400)
    assert "Area need: a modelled loneliness index for" in result.output
    # Too few people in any sector for a figure: no indicator, and it says so.
    result = runner.invoke(args=["demo", "--reset", "--people", "60", "--seed", "6"])
    assert result.exit_code == 0, result.output
    assert _indicator_areas(app) == {} and "no area indicator was loaded" in result.output


def test_a_refused_area_indicator_writes_nothing(app, runner, monkeypatch):
    monkeypatch.setattr(
        demo_service, "need_files", lambda area, min_count: (b"code,value\n", b"{}")
    )
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 1
    assert "area indicator" in result.output and "Nothing was imported" in result.output
    assert _register_rows(app) == 0


def test_reset_replaces_everything_with_the_new_area(app, runner):
    runner.invoke(args=SMALL)
    make_user(app, "site_admin", email="someone@example.org")
    result = runner.invoke(args=["demo", "--reset", "--people", "120", "--seed", "6"])
    assert result.exit_code == 0, result.output
    expected = generate(seed=6, people=120, today=demo_day(app))
    with app.app_context():
        names = set(db.session.scalars(select(Organisation.name)))
        assert names == {o.name for o in expected.organisations}
        assert db.session.scalar(select(func.count()).select_from(Person)) == 120
        assert db.session.scalar(select(User).where(User.email == "someone@example.org")) is None


def test_demo_records_use_only_fictional_postcodes(app, runner):
    runner.invoke(args=SMALL)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(~PostcodePoint.fictional)) == 0
        gazetteer = set(db.session.scalars(select(PostcodePoint.postcode)))
        assert set(db.session.scalars(select(Person.postcode))) <= gazetteer
        assert all(code.startswith("ZZ") for code in gazetteer)


def test_people_registered_by_workers_are_assigned_to_them_with_consent(app, runner):
    runner.invoke(args=SMALL)
    with app.app_context():
        registered = db.session.execute(
            select(Person.id, Person.registered_by_id).where(Person.registered_by_id.is_not(None))
        ).all()
        assert registered
        for person_id, worker_id in registered:
            assert db.session.get(Assignment, (person_id, worker_id)) is not None
            consent = db.session.scalar(
                select(Consent).where(Consent.person_id == person_id, Consent.purpose == "register")
            )
            assert consent.recorded_by_id == worker_id


def test_measures_are_stored_with_their_ucla_totals(app, runner):
    runner.invoke(args=SMALL)
    with app.app_context():
        rows = db.session.scalars(select(LonelinessMeasure)).all()
        assert rows
        for m in rows:
            items = (m.ucla_companionship, m.ucla_left_out, m.ucla_isolated)
            assert m.ucla_total == (None if None in items else sum(items))


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--people", "49"], "49 is not in the range 50<=x<=200000"),
        (["--people", "200001"], "200001 is not in the range"),
        (["--people", "many"], "'many' is not a valid integer"),
        (["--people", "1e3"], "'1e3' is not a valid integer"),
        (["--seed", "-1"], "-1 is not in the range"),
        (["--seed", "forty"], "'forty' is not a valid integer"),
        (["--if-empty", "--reset"], "--if-empty or --reset, not both"),
        (["--colour", "red"], "No such option '--colour'"),
    ],
)
def test_bad_arguments_exit_with_2_naming_the_value_and_write_nothing(app, runner, args, named):
    result = runner.invoke(args=["demo", *args])
    assert result.exit_code == 2
    assert named in result.output
    assert _register_rows(app) == 0


def test_a_database_without_tables_gets_a_clear_message(runner, monkeypatch):
    def missing(*args, **kwargs):
        raise OperationalError("SELECT count(*) FROM people", {}, Exception("no such table"))

    monkeypatch.setattr(demo_service, "existing_data", missing)
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 1
    assert "flask db upgrade" in result.output


def test_a_failure_while_writing_leaves_nothing_behind(app, runner, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_service, "_write_person_records", broken)
    result = runner.invoke(args=SMALL)
    assert result.exit_code != 0
    assert _register_rows(app) == 0


def test_a_failed_reset_keeps_the_old_data(app, runner, monkeypatch):
    runner.invoke(args=SMALL)
    before = _counts(app)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_service, "_write_person_records", broken)
    result = runner.invoke(args=["demo", "--reset", "--seed", "8", "--people", "100"])
    assert result.exit_code != 0
    assert _counts(app) == before


@pytest.mark.slow
def test_the_default_size_loads_with_five_to_seven_percent_lonely(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert re.search(r"people\s+3000\b", result.output)
    with app.app_context():
        latest = (
            select(LonelinessMeasure.person_id, func.max(LonelinessMeasure.measured_on).label("on"))
            .group_by(LonelinessMeasure.person_id)
            .subquery()
        )
        answers = db.session.scalars(
            select(LonelinessMeasure.direct)
            .join(
                latest,
                (LonelinessMeasure.person_id == latest.c.person_id)
                & (LonelinessMeasure.measured_on == latest.c.on),
            )
            .where(LonelinessMeasure.direct.is_not(None))
        ).all()
    assert 0.05 <= answers.count("often_always") / len(answers) <= 0.07


def _password(output: str) -> str:
    return re.search(r"Password: (\S+)", output).group(1)


def test_running_if_empty_again_prints_the_same_logins(app, runner):
    first = runner.invoke(args=SMALL)
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "nothing done" in again.output
    assert _password(again.output) == _password(first.output)
    for email in re.findall(r"\S+@demo\.betterway\.example", first.output):
        assert email in again.output


def test_the_saved_logins_file_is_readable_only_by_its_owner(app, runner):
    runner.invoke(args=SMALL)
    path = Path(app.instance_path) / "demo_logins.json"
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_reset_saves_the_new_password(app, runner):
    first = runner.invoke(args=SMALL)
    reset = runner.invoke(args=["demo", "--reset", "--people", "120", "--seed", "6"])
    again = runner.invoke(args=["demo", "--if-empty"])
    assert _password(again.output) == _password(reset.output) != _password(first.output)


def test_other_data_without_the_demo_says_how_to_sign_in(app, runner):
    Path(app.instance_path, "demo_logins.json").unlink(missing_ok=True)
    make_organisation(app, name="A real charity")
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert "No demo logins are saved" in result.output
    assert "Password:" not in result.output


def test_demo_partnerships_are_confirmed_but_two_waiting_for_the_demo_org_admin(app, runner):
    runner.invoke(args=SMALL)
    with app.app_context():
        admin = db.session.scalar(select(User.id).where(User.email.like("org_admin@%")))
        rows = db.session.execute(select(Partnership.confirmed_at, Partnership.confirmed_by_id))
        pending = [by for at, by in rows if at is None]
        confirmed_by = set(
            db.session.scalars(
                select(Partnership.confirmed_by_id).where(Partnership.confirmed_at.is_not(None))
            )
        )
    assert pending == [None, None]
    assert confirmed_by <= {None, admin}
