"""Measure the queue's search box with short terms (one or two characters) at full size.

    .venv/bin/python bench/search.py [--url postgres://postgres@127.0.0.1:5432/hexie_bench] [--repeat 10]
                                     [--before 0]

Each term is searched on the staff queue page (/cases/?q=..., Django's test Client, logged in as
the city leader, who sees every case, and as the bench district's leader), per query class: one
Chinese character, two (an employer-name fragment, one that matches no case, a complainant's
name), one digit and two characters of a case number, a phone tail, and a three-character term
for comparison (served by the trigram indexes). Beside each, in the same run: the SQL the page
issued, captured and replayed through psycopg (the floor), and the bare look-up of the term in the
pieces index (`case_scope_grams`, migration 0024, after 0018) without ordering, scope or count.
Each row also says how the page found its count and its rows (hexie.cases.search): by reading the
queue in order ("walk") or by looking the term up in the pieces ("pieces").
`--before N` also replays, N times per term, the search as it was before that index (icontains
alone, every match counted), to show what the index changed.

Prints p50/p95 per query class and writes bench/out/search-<time>.json. The target is p95 ≤ 150 ms
per class at 1,000,000 cases. The indexes must exist (migration 0024, or a database loaded by
load_cases.py after it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from typing import Any

import psycopg
from _common import (
    BENCH_DISTRICT,
    CITY_LEADER,
    DEFAULT_URL,
    OUT,
    database_name,
    district_username,
    psycopg_url,
    setup_django,
)
from run import Replayer, capture_pages, ms, say, staff, summary

TARGET_P95_MS = 150.0

# (query class, term): the kinds of short search a clerk types.
TERMS = [
    ("1 Chinese character, common", "建"),
    ("1 Chinese character, rarer", "楼"),
    ("2 characters, employer fragment", "万和"),
    ("2 characters, employer fragment", "劳务"),
    ("2 characters, no case has them", "建工"),
    ("1 digit", "7"),
    ("2 characters of a case number", "-9"),
    ("2 characters of a case number", "58"),
    ("complainant name (exact)", "<name>"),
    ("phone tail (4 digits)", "5678"),
    ("3+ characters (trigram index)", "建筑劳务"),
]

BARE = ("SELECT id FROM cases_case WHERE case_search_grams(number, employer_name, project_name) "
        "@> ARRAY[UPPER(%s)::text] LIMIT 50")


def terms(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT complainant_name FROM cases_case GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                           ).fetchone()
    name = row[0] if row else "张伟"
    return [(cls, name if term == "<name>" else term) for cls, term in TERMS]


def before_sql(term: str, user: Any) -> list[tuple[str, Any]]:
    """The statements the queue issued for a search before the pieces index: the same list and a
    full count, with icontains alone (the trigram indexes cannot serve under three characters)."""
    from django.db.models import Q

    from hexie.cases import selectors

    text = Q(number__icontains=term) | Q(employer_name__icontains=term) | Q(project_name__icontains=term)
    qs = selectors.queue(user).filter(text | Q(complainant_name=term)).order_by("next_due_on", "-received_at", "-id")
    out = []
    count_sql, count_params = qs.order_by().query.get_compiler("default").as_sql()
    page_sql, page_params = qs[:50].query.get_compiler("default").as_sql()
    out.append((f"SELECT count(*) FROM ({count_sql}) s", count_params))
    out.append((page_sql, page_params))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per term and user (default 10)")
    parser.add_argument("--before", type=int, default=0, help="replays of the pre-index search per term (default 0)")
    args = parser.parse_args()
    setup_django(args.url)
    url = psycopg_url(args.url)

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from hexie.cases.search import QueueSearchPaginator

    found_by: dict[str, str] = {}
    page_of = QueueSearchPaginator.page

    def recording_page(self: QueueSearchPaginator, number: Any) -> Any:
        """The paginator's page, noting how its count and rows were found."""
        page = page_of(self, number)
        found_by["last"] = f"{self.shape['count']}/{self.shape['page']}"
        return page

    QueueSearchPaginator.page = recording_page  # type: ignore[method-assign]

    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    with psycopg.connect(url) as conn:
        cases = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]  # type: ignore[index]
        index = conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname IN "
                             "('case_scope_grams', 'case_queue_search')").fetchone()
    if index is None or index[0] < 2:
        raise SystemExit(f"{database_name(args.url)} lacks the search indexes: migrate it (cases 0024)")
    one, five, _ = os.getloadavg()
    say(f"== short searches: {cases:,} cases in {database_name(args.url)}, load average {one:.2f} / {five:.2f} ==")
    results: dict[str, Any] = {"meta": {"cases": cases, "load_average": [one, five], "args": vars(args),
                                        "started": datetime.now().isoformat(timespec="seconds")}, "rows": []}
    replayer = Replayer(url)
    bare = psycopg.connect(url, autocommit=True)
    users = [("city leader", CITY_LEADER), (f"district leader {BENCH_DISTRICT}", district_username(BENCH_DISTRICT,
                                                                                                  "leader"))]
    by_class: dict[str, dict[str, list[float]]] = {}
    say(f"{'user | class | term':64} {'page p50':>8} {'p95':>7} {'SQL p95':>7} {'index':>6} {'before':>7} "
        f"{'total shown':>11} {'count/page found by':>19}")
    for label, username in users:
        user = staff(username)
        client = Client()
        client.force_login(user)
        for cls, term in terms(url):
            path = "/cases/?" + f"q={term}"
            found_by["last"] = "-"
            first = client.get("/cases/", {"q": term})  # unmeasured: caches and plans
            how = found_by["last"]
            assert first.status_code == 200, (path, first.status_code)
            html = first.content.decode()
            shown = html.split('table-pager">', 1)[-1].split("</span>", 1)[0].split(">")[-1].strip()
            pages = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                client.get("/cases/", {"q": term})
                pages.append(time.perf_counter() - t0)
            captured = capture_pages(client, [(term, path)])[term]
            replayer.run(captured)
            floor = [replayer.run(captured) for _ in range(args.repeat)]
            index_ms = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                bare.execute(BARE, (term,)).fetchall()
                index_ms.append(time.perf_counter() - t0)
            before = [replayer.run(before_sql(term, user)) for _ in range(args.before)]
            row = {"user": label, "class": cls, "term": term, "page_ms": summary([ms(x) for x in pages]),
                   "sql_ms": summary([ms(x) for x in floor]), "index_ms": summary([ms(x) for x in index_ms]),
                   "before_ms": summary([ms(x) for x in before]) if before else None, "shown": shown,
                   "queries": len(captured), "found_by": how}
            results["rows"].append(row)
            got = by_class.setdefault(cls, {"page": [], "sql": []})
            got["page"] += [ms(x) for x in pages]
            got["sql"] += [ms(x) for x in floor]
            b = f"{row['before_ms']['p95']:7.0f}" if before else f"{'-':>7}"
            say(f"{label + ' | ' + cls + ' | ' + term:64} {row['page_ms']['p50']:8.1f} {row['page_ms']['p95']:7.1f} "
                f"{row['sql_ms']['p95']:7.1f} {row['index_ms']['p95']:6.1f} {b} {shown:>11} {how:>19}")
    say("-- per query class (both users): page p50 / p95, replayed SQL p95, target p95 "
        f"<= {TARGET_P95_MS:.0f} ms")
    missed = []
    for cls, got in by_class.items():
        page, sql = summary(got["page"]), summary(got["sql"])
        met = page["p95"] <= TARGET_P95_MS
        missed += [] if met else [cls]
        say(f"{cls:40} {page['p50']:8.1f} {page['p95']:8.1f} {sql['p95']:8.1f}  {'met' if met else 'NOT MET'}")
        results.setdefault("classes", {})[cls] = {"page_ms": page, "sql_ms": sql, "met": met}
    replayer.close()
    bare.close()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"search-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    say(f"results written to {path.relative_to(OUT.parent.parent)}"
        + (f"; target missed for: {', '.join(missed)}" if missed else ""))


if __name__ == "__main__":
    sys.exit(main())
