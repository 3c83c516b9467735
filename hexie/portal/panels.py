"""What the portal adds to the registry's project file: the link to the project's printable QR
poster, which opens the filing form with the project chosen (the registry never imports portal)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hexie.core.panels import Panel
from hexie.employers.models import Project
from hexie.employers.panels import PROJECT_FILE


def _poster(user: Any, project: Project) -> dict[str, Any]:
    return {"poster_url": reverse("portal:project_poster", args=[project.pk])}


def register() -> None:
    PROJECT_FILE.register(Panel(
        name="poster", order=5, template="portal/panels/project_poster.html", context=_poster,
    ))
