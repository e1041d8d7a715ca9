"""The API's front door works offline: local docs UI, an API root, a token from a form post (issue 22.4)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from techbridge.testing.cast import PASSWORD

pytestmark = pytest.mark.django_db


def test_docs_page_loads_nothing_from_another_host_and_its_script_is_served():
    client = Client()
    page = client.get("/api/docs/")

    assert page.status_code == 200
    html = page.content.decode()
    external = re.findall(r"""(?:src|href)=["'](?:https?:)?//[^"']+""", html)
    assert external == []
    assert "cdn" not in html.lower()
    scripts = re.findall(r"""<script[^>]+src=["']([^"']+)["']""", html)
    styles = re.findall(r"""<link[^>]+href=["']([^"']+\.css)["']""", html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in scripts)
    for url in scripts + styles:
        assert url.startswith("/static/vendor/swagger-ui/")
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 1000, url


def test_api_root_lists_the_sections_with_links(api):
    response = api.get("/api/v1/")

    assert response.status_code == 200
    body = response.json()
    sections = body["sections"]
    for name in ("achievements", "demands", "organizations", "deals", "contracts", "auctions"):
        assert name in sections, name
        assert sections[name].startswith("http://testserver/api/v1/" + name + "/")
    assert body["token"] == "http://testserver/api/v1/auth/token/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert APIClient().get(sections["achievements"]).status_code == 200


def test_token_endpoint_accepts_a_form_post(cast):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "buyer", "password": PASSWORD}, format="multipart"
    )
    assert (
        response.status_code == 415
    )  # multipart stays refused; the form encoding below is what curl -d sends

    response = Client().post(
        "/api/v1/auth/token/",
        "username=buyer&password=" + PASSWORD,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert response.json()["user"]["username"] == "buyer"
    assert len(response.json()["token"]) == 40
