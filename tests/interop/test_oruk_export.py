"""``flask oruk export --out DIR`` writes what the API answers."""

from __future__ import annotations

import json

from tests.factories.oruk import known_area


def _export(runner, out, *extra):
    result = runner.invoke(
        args=["oruk", "export", "--out", str(out), "--per-page", "2", "--quiet", *extra]
    )
    assert result.exit_code == 0, result.output
    return result


def _read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_page_and_record_is_what_the_api_answers(app, client, runner, tmp_path):
    known_area(app)
    result = _export(runner, tmp_path, "--base-url", "http://localhost/")
    assert "services: 4 records in 2 pages" in result.output
    assert _read(tmp_path / "index.json") == client.get("/oruk/").get_json()
    for collection in ("services", "service_at_locations", "taxonomies", "taxonomy_terms"):
        folder = tmp_path / collection
        pages = sorted(folder.glob("page-*.json"))
        assert pages, collection
        records = 0
        for path in pages:
            number = path.stem.removeprefix("page-")
            answer = client.get(f"/oruk/{collection}?page={number}&per_page=2").get_json()
            assert _read(path) == answer, path
            for item in answer["contents"]:
                record = _read(folder / f"{item['id']}.json")
                assert record == client.get(f"/oruk/{collection}/{item['id']}").get_json()
                records += 1
        assert len(list(folder.glob("*.json"))) == len(pages) + records


def test_an_earlier_export_is_replaced(app, runner, tmp_path):
    known_area(app)
    stale = tmp_path / "services" / "00000000-0000-4000-8000-000000000000.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    _export(runner, tmp_path)
    assert not stale.exists()


def test_without_a_base_url_it_says_where_links_point(app, runner, tmp_path):
    known_area(app)
    result = _export(runner, tmp_path)
    assert "PUBLIC_BASE_URL is not set" in result.output
    assert _read(tmp_path / "services" / "page-1.json")["contents"][0]["url"].startswith(
        "http://localhost/groups/"
    )


def test_it_shows_progress(app, runner, tmp_path):
    known_area(app)
    result = runner.invoke(args=["oruk", "export", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "ORUK export" in result.output
