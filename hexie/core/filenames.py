"""File names as users send them: kept for display and download, shortened without losing the type."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

# An extension longer than this is not a file type a user would recognise: it is cut like the rest.
_MAX_EXTENSION = 16


def shorten_name(name: str, limit: int) -> str:
    """``name`` without any folder part, at most ``limit`` characters, its extension kept.

    "很长的工资条……（共300字）.pdf" shortened to 200 characters still ends in ".pdf", so the download
    opens in the right program and the type checks that go by the extension still see it.
    """
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    if len(base) <= limit:
        return base
    dot = base.rfind(".")
    ext = base[dot:] if dot > 0 and len(base) - dot <= _MAX_EXTENSION else ""
    if len(ext) >= limit:
        return base[:limit]
    return base[: limit - len(ext)] + ext
