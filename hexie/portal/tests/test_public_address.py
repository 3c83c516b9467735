"""QR posters point at the address the site is really served on (hexie.core.public_url)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hexie.core.public_url import public_base_url, public_url


def poster_html(client, **extra):
    response = client.get("/portal/posters/430104/", **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_the_configured_public_address_wins(client, city, settings):
    settings.HEXIE_PUBLIC_URL = "https://hexie.example.gov.cn/"
    html = poster_html(client, HTTP_HOST="127.0.0.1:8080")
    assert "https://hexie.example.gov.cn/portal/file/?district=430104&amp;src=qr" in html
    assert "127.0.0.1:8080" not in html


def test_without_a_configured_address_the_poster_uses_the_host_the_page_was_reached_on(client, city, settings):
    settings.HEXIE_PUBLIC_URL = ""
    html = poster_html(client, HTTP_HOST="127.0.0.1:8080")
    assert "http://127.0.0.1:8080/portal/file/?district=430104&amp;src=qr" in html
    assert ":8000" not in html


def test_the_poster_list_prints_the_same_address_as_the_poster(client, users, settings):
    settings.HEXIE_PUBLIC_URL = ""
    client.force_login(users["leader"])
    html = client.get("/portal/posters/", HTTP_HOST="localhost:9001").content.decode()
    assert "http://localhost:9001/portal/file/?district=430104&amp;src=qr" in html


def test_a_host_the_site_does_not_answer_to_gets_no_poster(client, city, settings):
    settings.HEXIE_PUBLIC_URL = ""
    assert client.get("/portal/posters/430104/", HTTP_HOST="evil.example.com").status_code == 400


def test_without_a_request_the_address_is_where_serve_listens(settings, monkeypatch):
    settings.HEXIE_PUBLIC_URL = ""
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.delenv("HOST", raising=False)
    assert public_base_url() == "http://127.0.0.1:8080"
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104 - the wildcard is printed as the loopback
    assert public_url("/portal/") == "http://127.0.0.1:8080/portal/"
    monkeypatch.delenv("PORT")
    monkeypatch.delenv("HOST")
    assert public_base_url() == "http://127.0.0.1:8000"


@pytest.mark.parametrize("configured", ["https://wq.example.gov.cn", "https://wq.example.gov.cn/"])
def test_the_configured_address_is_used_without_a_request_too(settings, configured):
    settings.HEXIE_PUBLIC_URL = configured
    assert public_url("/portal/file/") == "https://wq.example.gov.cn/portal/file/"


def test_make_run_passes_its_port_to_the_server():
    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    assert "PORT ?= 8000" in makefile
    assert "PORT=$(PORT) $(BIN)/python manage.py serve" in makefile
