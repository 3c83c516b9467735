"""The registry's pages that other apps add to (``hexie.core.panels``): an employer's file shows
the cases about it (cases) and its warnings (monitoring); a project's file its warnings and the
cases the monitoring job opened. The registry itself imports neither."""

from __future__ import annotations

from hexie.core.panels import Slot

EMPLOYER_FILE = Slot("employer file")
PROJECT_FILE = Slot("project file")
