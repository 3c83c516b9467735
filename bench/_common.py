"""What the loader and the runner share: the database they point at, Django set-up, the city tree.

Both scripts are run from the repository root (`.venv/bin/python bench/...`); Python then puts
`bench/` first on sys.path, which is how `_common` and `bench_settings` are found.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
OUT = BENCH / "out"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hexie_bench"

# The bench city: Changsha (430100), ten districts, five streets each (GB/T 2260 district codes;
# the tenth is made up, street codes are district code + 001..005).
CITY = ("430100", "长沙市")
DISTRICTS = [
    ("430102", "芙蓉区"), ("430103", "天心区"), ("430104", "岳麓区"), ("430105", "开福区"),
    ("430111", "雨花区"), ("430112", "望城区"), ("430121", "长沙县"), ("430181", "浏阳市"),
    ("430182", "宁乡市"), ("430191", "湘江新区"),
]
STREETS_PER_DISTRICT = 5
HANDLERS_PER_DISTRICT = 6
# Busy districts get more cases, as in a real city.
DISTRICT_WEIGHTS = [16, 14, 13, 12, 11, 9, 8, 7, 6, 4]

# Staff the runner logs in as (usernames made by the loader).
CITY_LEADER = "bench_city_leader"
BENCH_DISTRICT = "430104"  # 岳麓区: the district leader's district and the one the filters name


def district_username(code: str, role: str, n: int = 0) -> str:
    return f"bench_{code}_{role}{n or ''}"


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def check_bench_url(url: str) -> None:
    """Refuse anything but a dedicated bench database: the loader drops and recreates it."""
    name = database_name(url)
    if not name.startswith("hexie_bench"):
        sys.exit(f"refusing to use database {name!r}: the bench only works on databases named hexie_bench*")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("the bench needs PostgreSQL (postgres://...)")


def setup_django(url: str) -> None:
    """Point Django at the bench database; the settings are the project's with static files
    collected under bench/out (see bench_settings)."""
    check_bench_url(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(REPO) not in sys.path:
        sys.path.insert(1, str(REPO))
    import django

    django.setup()


def psycopg_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    data = sorted(values)
    k = max(0, min(len(data) - 1, round(q / 100 * len(data) + 0.5) - 1))
    return data[k]


# --- rows written without the ORM -------------------------------------------------------------------


class MissingColumn(Exception):
    """A row the bench writes with SQL does not fit its model's table."""


def model_columns(model: Any) -> tuple[tuple[str, ...], frozenset[str]]:
    """A model's columns in model order, and those that are NOT NULL: what a row written with
    COPY or INSERT must match, read from the model so that a column added later is not forgotten."""
    fields = model._meta.concrete_fields
    return tuple(f.column for f in fields), frozenset(f.column for f in fields if not f.null)


def check_row(table: str, row: dict[str, Any], columns: tuple[str, ...], not_null: frozenset[str],
              generated: frozenset[str] = frozenset()) -> None:
    """Refuse a row (a dict by column name) that names a column the model lacks, or leaves a NOT NULL
    column without a value; the message names the columns. `generated` are filled by the database
    (an id from its sequence)."""
    unknown = sorted(set(row) - set(columns))
    if unknown:
        raise MissingColumn(f"{table}: the bench writes {', '.join(unknown)}, which the model does not have")
    missing = sorted(c for c in not_null - generated if row.get(c) is None)
    if missing:
        raise MissingColumn(f"{table}: no value for the NOT NULL column(s) {', '.join(missing)} "
                            "(added to the model since the bench was written? give them a value)")
