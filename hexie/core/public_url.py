"""The address the site is really served on, for links that leave the screen: QR posters.

A printed QR code that points at a port nobody serves sends every worker who scans it nowhere,
so every poster (a district's, a project's) asks this one function:

1. ``HEXIE_PUBLIC_URL`` when it is set: the address the bureau publishes (its domain, behind its
   proxy), which the server cannot see for itself;
2. otherwise the scheme and host of the request being answered: the address the member of staff
   printing the poster has just reached, so ``PORT=8080 make run`` prints 8080;
3. otherwise, with no request (a background job), the address ``manage.py serve`` listens on:
   ``HOST`` and ``PORT``, the same variables `make run` passes to it.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.http import HttpRequest

# Addresses a server listens on that nobody can reach it by: print the loopback address instead.
_WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]", ""}  # noqa: S104 - compared, never bound


def served_address() -> str:
    """The address ``manage.py serve`` listens on, from ``HOST`` and ``PORT`` as `make run` sets them."""
    host = os.environ.get("HOST", "127.0.0.1").strip()
    if host in _WILDCARD_HOSTS:
        host = "127.0.0.1"
    port = os.environ.get("PORT", "8000").strip() or "8000"
    return f"http://{host}:{port}"


def public_base_url(request: HttpRequest | None = None) -> str:
    """The site's public address without a trailing slash (see the module's order of precedence)."""
    configured = str(getattr(settings, "HEXIE_PUBLIC_URL", "") or "").strip()
    if configured:
        return configured.rstrip("/")
    if request is not None:
        # get_host() checks the Host header against ALLOWED_HOSTS: a forged host is refused there.
        return f"{request.scheme}://{request.get_host()}"
    return served_address()


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute public address for a path of the site (``reverse(...)`` with its query string)."""
    return public_base_url(request) + "/" + path.lstrip("/")
