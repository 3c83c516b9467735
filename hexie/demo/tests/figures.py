"""The hardening suites' figures, for ``bench/hardening.py``: each suite notes what it counted, and
when ``HEXIE_FIGURES`` names a file the figures are appended to it as JSON lines (otherwise they
go nowhere: the suites' verdict is their assertions)."""

from __future__ import annotations

import json
import os
from typing import Any


def note(line: str, **counts: Any) -> None:
    """Append one line of the figures table (``attempts``, ``failures``, ``leaks``, and any other count)."""
    path = os.environ.get("HEXIE_FIGURES")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"line": line, **counts}, ensure_ascii=False) + "\n")


def max_examples(default: int) -> int:
    """Schemathesis examples per operation: ``HEXIE_FUZZ_EXAMPLES`` for a longer run, else ``default``."""
    return int(os.environ.get("HEXIE_FUZZ_EXAMPLES") or default)
