"""Deny by default: every route declares who may use it (SECURITY.md V4.1)."""

from __future__ import annotations

from flask import Blueprint

from betterway_map.web.access import rule_for


def test_every_route_declares_who_may_use_it(app):
    missing = sorted(
        rule.endpoint for rule in app.url_map.iter_rules() if rule_for(app, rule.endpoint) is None
    )
    assert missing == [], f"routes without an access declaration: {missing}"


def test_a_route_without_a_declaration_is_refused(app):
    from betterway_map import create_app
    from config import TestingConfig

    probe = create_app(TestingConfig)
    extra = Blueprint("undeclared", __name__)

    @extra.route("/undeclared")
    def undeclared():
        return "should never be seen"

    probe.register_blueprint(extra)
    response = probe.test_client().get("/undeclared")
    assert response.status_code == 403
    assert "should never be seen" not in response.get_data(as_text=True)


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/me" in document["paths"]


def test_api_answers_401_json_without_credentials(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["code"] == 401


def test_api_unknown_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json


def test_page_unknown_path_answers_html_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "text/html" in response.content_type
