"""Panels: how an upper app adds a part to a lower app's page, never the other way round.

A lower app declares a slot for one of its pages, say the registry's employer file::

    EMPLOYER_FILE = Slot("employer file")          # hexie/employers/panels.py

and an upper app, which may import the lower one, registers what it adds from its
``AppConfig.ready()``::

    EMPLOYER_FILE.register(Panel(                   # hexie/cases/panels.py
        name="open_cases", template="cases/panels/employer_cases.html",
        context=lambda user, employer: {...},       # the page's part, scoped to the user
        field=lambda: CaseRefSerializer(many=True), # its shape in the API document
        data=lambda user, employer: [...],          # its value in the API answer
    ))

The page renders ``slot.render(user, obj)`` (``{% for p in panels %}{% include p.template %}``) and
the API adds ``slot.fields()`` to its serializer and ``slot.data(user, obj)`` to its answer. So the
employer page shows the cases about the employer and its warnings, and the case page its issued
documents, while the registry knows nothing of cases or monitoring, and cases nothing of insights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rest_framework.fields import Field


@dataclass(frozen=True)
class Panel:
    """One part of a page contributed by another app.

    ``template`` and ``context`` make its HTML (the template sees ``panel``: what ``context``
    returned, and ``obj``); ``field`` and ``data`` make its place in the API answer, under ``name``.
    Either pair may be left out. ``order`` sorts the panels of a slot (smaller first).
    """

    name: str
    template: str = ""
    context: Callable[[Any, Any], dict[str, Any]] | None = None
    field: Callable[[], Field] | None = None
    data: Callable[[Any, Any], Any] | None = None
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: dict[str, Any]


class Slot:
    """The panels registered for one page of a lower app."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._panels: dict[str, Panel] = {}

    def register(self, panel: Panel) -> Panel:
        if panel.name in self._panels and self._panels[panel.name] != panel:
            raise ValueError(f"{self.label}: a panel named {panel.name!r} is already registered")
        self._panels[panel.name] = panel
        return panel

    def panels(self) -> list[Panel]:
        return sorted(self._panels.values(), key=lambda p: (p.order, p.name))

    def render(self, user: Any, obj: Any) -> list[RenderedPanel]:
        """The page's panels with their context, each already limited to what the user may see."""
        return [RenderedPanel(p.name, p.template, p.context(user, obj) if p.context else {})
                for p in self.panels() if p.template]

    def fields(self) -> dict[str, Field]:
        """The API fields the panels add to the page's serializer."""
        return {p.name: p.field() for p in self.panels() if p.field is not None}

    def data(self, user: Any, obj: Any) -> dict[str, Any]:
        """The panels' values in the API answer."""
        return {p.name: p.data(user, obj) for p in self.panels() if p.data is not None and p.field is not None}
