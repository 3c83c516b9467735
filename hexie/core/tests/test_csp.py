"""Every response carries the strict Content-Security-Policy, and no template brings inline code."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
HEXIE = Path(__file__).resolve().parents[2]


def test_pages_errors_and_api_answers_carry_the_policy(client, users):
    assert settings.CONTENT_SECURITY_POLICY == POLICY
    anonymous = [client.get("/accounts/login/"), client.get("/portal/"), client.get("/no-such-page/"),
                 client.get("/api/v1/no-such-endpoint/")]
    client.force_login(users["leader"])
    for response in [*anonymous, client.get("/cases/"), client.get("/audit/"), client.get("/api/docs/?script=")]:
        assert response["Content-Security-Policy"] == POLICY, response.request["PATH_INFO"]
    # Swagger UI inserts <style> elements: its page alone allows inline styles, never inline scripts.
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs and "script-src 'self';" in docs


def test_no_template_has_an_inline_script_style_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)
    found = [f"{p.relative_to(HEXIE)}: {m.group(0)}" for p in HEXIE.rglob("templates/**/*.html")
             for m in inline.finditer(p.read_text(encoding="utf-8"))]
    assert found == []
