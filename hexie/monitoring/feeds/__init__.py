"""Reading and checking monitoring feeds: attendance, payroll and special-account deposits.

A feed arrives as a file (CSV, .xlsx, Parquet) or a list of JSON records from the API. Every
source is first turned into one shape (``readers``: text columns plus the row number the user
sees), then checked and converted by the same vectorised code (``checks``), so a file and an API
batch get the same answers. What each feed is — its columns, how a row is typed, the rules a row
must pass, its key — is declared once, in its own module (``attendance``, ``payroll``,
``deposit``) as a :class:`~hexie.monitoring.feeds.spec.FeedSpec`; ``spec`` turns any of them into
SQL from the building blocks in ``sql``; ``columns`` matches a file's headers to the fields.

This package reads no database: the registry comes in through ``checks.Registry``.
"""

from __future__ import annotations

from hexie.monitoring.feeds.checks import (
    SPECS,
    Outcome,
    Registry,
    check,
    errors_table,
    first_errors,
    write_error_report,
)
from hexie.monitoring.feeds.readers import (
    EXTENSIONS,
    FeedFileError,
    RawTable,
    read_csv,
    read_file,
    read_parquet,
    read_records,
    read_xlsx,
    unsupported_extension,
)
from hexie.monitoring.feeds.xlsx_limits import XlsxLimits

__all__ = [
    "EXTENSIONS", "SPECS", "FeedFileError", "Outcome", "RawTable", "Registry", "XlsxLimits", "check", "errors_table",
    "first_errors", "read_csv", "read_file", "read_parquet", "read_records", "read_xlsx",
    "unsupported_extension", "write_error_report",
]
