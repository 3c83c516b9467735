"""Path converters every URL map uses; registered once when the kernel app is ready."""

from __future__ import annotations

from django.urls import register_converter

from hexie.core.serializers import MAX_ID


class Id64Converter:
    """A database id in a path: any run of digits, like ``<int:…>``, but never a crash.

    Python will not read a number of thousands of digits, and Django would then answer its HTML
    404 instead of the API's; such ids come through as one past the largest key, which the views
    answer with the same 404 as any missing id.
    """

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value) if len(value) <= 19 else MAX_ID + 1

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(Id64Converter, "id64")
