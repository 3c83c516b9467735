"""Load a city's worth of cases into a dedicated PostgreSQL database, fast.

    .venv/bin/python bench/load_cases.py [--cases 1000000] [--url postgres://postgres@127.0.0.1:5432/hexie_bench]

Drops and recreates the database (only one named hexie_bench*), runs the migrations (which seed
the deadline and triage rules), seeds the working-day calendar, creates the org tree and staff
through the ORM, and then writes the cases with psycopg 3 COPY from several processes.

Each case is a plausible history, not random columns: it is received over the last three years
(more on weekdays, more as the years go by), takes the path intake → accept → assign → start →
(suspend → resume) → resolve → follow-up → close (or is refused) with step durations drawn per
track, and its status is simply how far that history has got by now. Its clocks are the ones the
services would have started (same rules, same calendar arithmetic, same met / paused / cancelled
states), so next_due_on is the earliest running due date and "overdue" arises where a history ran
late. Triage runs the real rules (hexie.cases.triage) on the real rows; phones and ID numbers are
encrypted and hashed by hexie.core.pii exactly as the EncryptedTextField stores them.

Secondary indexes and foreign keys of the bulk tables are dropped during the COPY and recreated
afterwards under their own names (so the schema is exactly what the migrations made), then the
database is vacuumed and analysed so that the runner measures a steady state, not a fresh load.
"""

from __future__ import annotations

import argparse
import bisect
import json
import multiprocessing as mp
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from _common import (
    BENCH_DISTRICT,
    CITY,
    CITY_LEADER,
    DEFAULT_URL,
    DISTRICT_WEIGHTS,
    DISTRICTS,
    HANDLERS_PER_DISTRICT,
    STREETS_PER_DISTRICT,
    MissingColumn,
    check_bench_url,
    check_row,
    database_name,
    district_username,
    model_columns,
    psycopg_url,
    setup_django,
)
from django.utils.functional import Promise

DAY = 86400.0
TZ_OFFSET = 8 * 3600  # Asia/Shanghai has no daylight saving time
CHUNK = 10_000
BULK_TABLES = ("cases_case", "cases_deadline", "cases_timelineevent", "cases_referral", "cases_cluster")
# Ids are derived from the case id, so that chunks loaded in parallel never collide.
DEADLINES_PER_CASE = 4
EVENTS_PER_CASE = 16

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
         "平", "刚", "桂英", "建华", "志强", "海燕", "红梅", "建国", "春兰", "小龙", "德胜", "湘君", "玉兰", "国平")
NAME_CORES = ("鑫达", "恒盛", "宏远", "金湘", "瑞丰", "华信", "博润", "湘麓", "星城", "楚天", "和顺", "裕通", "嘉禾", "鼎盛",
              "宏图", "汇丰源", "佳运", "润达", "永兴", "天顺", "隆昌", "兴旺达", "中盛", "远航", "晨光", "铭泰", "诚信达",
              "万和", "广源", "德润", "聚力", "启航", "锦程", "富民", "安居", "湘江源", "岳丰", "正阳", "通达", "新纪元")
INDUSTRIES = (("建设工程有限公司", 0.12, True), ("建筑劳务有限公司", 0.16, True), ("装饰工程有限公司", 0.06, True),
              ("机械制造有限公司", 0.08, False), ("电子科技有限公司", 0.08, False), ("服饰有限公司", 0.05, False),
              ("餐饮管理有限公司", 0.1, False), ("物业管理有限公司", 0.08, False), ("物流有限公司", 0.07, False),
              ("保安服务有限公司", 0.05, False), ("商贸有限公司", 0.08, False), ("酒店管理有限公司", 0.07, False))
PROJECT_KINDS = ("安置房", "公租房", "棚户区改造", "中学新建", "人民医院综合楼", "道路提质改造", "综合管廊", "标准厂房",
                 "商业综合体", "人才公寓")
ROADS = ("人民路", "建设路", "解放路", "中山路", "韶山路", "芙蓉路", "岳麓大道", "湘江路", "劳动路", "万家丽路")
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "158",
                   "159", "166", "173", "177", "180", "181", "183", "185", "186", "187", "188", "189", "199")
ID_PLACES = ("430102", "430103", "430104", "430105", "430111", "430121", "430181", "430321", "430421", "430524",
             "430626", "430721", "431021", "431121", "433122", "360124")
CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

CASE_TYPES = (("wage_arrears", 0.55), ("labour_dispute", 0.25), ("petition", 0.10), ("consultation", 0.10))
CHANNELS = (("visit", 0.25), ("qr", 0.18), ("hotline_12345", 0.20), ("phone", 0.15), ("web", 0.15), ("letter", 0.04),
            ("monitoring", 0.03))
STAFF_CHANNELS = {"visit", "phone", "letter", "hotline_12345"}  # registered by the front desk
TRACKS = {
    "wage_arrears": (("inspection", 0.55), ("mediation", 0.25), ("arbitration", 0.10), ("referral", 0.10)),
    "labour_dispute": (("arbitration", 0.50), ("mediation", 0.40), ("inspection", 0.05), ("referral", 0.05)),
    "petition": (("petition", 0.50), ("inspection", 0.40), ("referral", 0.10)),
    "consultation": (("consultation", 0.70), ("inspection", 0.20), ("referral", 0.10)),
}
# Days from starting handling to resolving: (on time low, high), (late low, high), share late.
HANDLING_DAYS = {
    "mediation": ((2, 14), (16, 40), 0.12), "inspection": ((5, 70), (90, 150), 0.10),
    "arbitration": ((15, 44), (47, 90), 0.12), "petition": ((10, 58), (62, 120), 0.10),
    "referral": ((5, 20), (23, 60), 0.10), "consultation": ((0.5, 5), (8, 15), 0.10),
}
CONCLUSIONS = {
    "wage_arrears": ("paid_in_full", "paid_in_full", "paid_in_part", "order_issued", "not_substantiated", "withdrawn"),
    "labour_dispute": ("mediated", "mediated", "awarded", "awarded", "withdrawn", "to_court"),
    "petition": ("answered", "paid_in_part", "not_substantiated", "order_issued"),
    "consultation": ("answered",),
}
REFERRED_CONCLUSION = "referred_closed"
# Recorded on resolving a labour dispute, for the arbitration statistics table (rules.md §6).
DISPUTE_CAUSES = (("pay", 0.45), ("contract", 0.30), ("social_insurance", 0.15), ("other", 0.10))
OUTCOMES = {"awarded": ("worker_won", "worker_won", "split", "employer_won"), "mediated": ("split",)}
AGENCIES = (("长沙市中级人民法院", "court"), ("长沙市总工会", "union"), ("长沙市住房和城乡建设局", "housing"),
            ("长沙市公安局", "police"))


# --- what every worker process needs (built once in the parent, inherited through fork) ----------


@dataclass
class Employer:
    name: str
    credit_code: str
    address: str
    unit_id: int  # a street (or the district itself)
    district: str
    builds: bool  # construction trades: their complaints name a project


@dataclass
class Person:
    name: str
    phone: str
    id_number: str


@dataclass
class World:
    today: date
    now: float
    bureau: str
    received: list[float]  # per case (index = id - 1), ascending
    numbers: list[str]
    district_codes: list[str]
    employers: dict[str, list[Employer]]
    projects: dict[str, list[str]]
    frequent: list[Person]
    handlers: dict[str, list[int]]
    leaders: dict[str, int]
    desks: dict[str, int]
    agencies: list[int]
    rules: dict[str, Any]  # DeadlineRule by code
    triage_rules: list[Any]
    cal: Any
    public_messages: dict[str, str]


W: World | None = None

# Bound by bind_app() once Django is set up (they import models); the hot loop then calls them
# without an import statement per case.
workcal: Any = None
triage: Any = None
IntakeFacts: Any = None
encrypt: Any = None
lookup_hash: Any = None


def bind_app() -> None:
    global workcal, triage, IntakeFacts, encrypt, lookup_hash
    from hexie.cases import triage as triage_mod
    from hexie.core import pii
    from hexie.workcal import rules

    workcal, triage, IntakeFacts = rules, triage_mod.triage, triage_mod.IntakeFacts
    encrypt, lookup_hash = pii.encrypt, pii.lookup_hash


# --- small helpers ---------------------------------------------------------------------------------


def pick(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    x = rng.random() * sum(w for _, w in pairs)
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def ts(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(t))


_DATES: dict[int, date] = {}
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def local_date(t: float) -> date:
    n = int((t + TZ_OFFSET) // DAY)
    d = _DATES.get(n)
    if d is None:
        d = _DATES[n] = date.fromordinal(_EPOCH_ORDINAL + n)
    return d


_DUE: dict[tuple[date, int, str], Any] = {}


def due(start: date, n: int, unit: str) -> Any:
    """add_period on the real calendar, memoised: a million cases start on ~1,100 distinct days."""
    key = (start, n, unit)
    out = _DUE.get(key)
    if out is None:
        assert W is not None
        out = _DUE[key] = workcal.add_period(W.cal, start, n, unit)
    return out


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def id_number(rng: random.Random) -> str:
    from hexie.core.validators import id_check_char

    born = date(1962, 1, 1) + timedelta(days=rng.randrange(365 * 42))
    first17 = f"{rng.choice(ID_PLACES)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_char(first17)


def credit_code(rng: random.Random, division: str) -> str:
    from hexie.core.validators import credit_code_check_char

    first17 = "91" + division + "MA4" + "".join(rng.choice(CC_CHARS) for _ in range(6))
    return first17 + credit_code_check_char(first17)


def tracking_code(case_id: int) -> str:
    """A unique, random-looking 8-character code: an odd multiplier permutes the 40-bit space."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    x = (case_id * 0x9E3779B97F + 0x5DEECE66D) % (1 << 40)
    return "".join(alphabet[(x >> (5 * k)) & 31] for k in range(8))


# --- set-up through Django ---------------------------------------------------------------------


def recreate_database(url: str) -> None:
    name = database_name(url)
    admin = psycopg_url(url).rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build_city(rng: random.Random) -> dict[str, Any]:
    """Org tree, partner agencies and staff through the ORM (a few hundred rows)."""
    from django.contrib.auth.hashers import make_password

    from hexie.orgs.models import OrgUnit, PartnerAgency, Role, User

    city = OrgUnit.objects.create(code=CITY[0], name=CITY[1], level="city")
    units: dict[str, list[int]] = {}
    unit_ids: dict[str, int] = {}
    for code, name in DISTRICTS:
        d = OrgUnit.objects.create(code=code, name=name, level="district", parent=city)
        unit_ids[code] = d.pk
        units[code] = [d.pk]
        for k in range(1, STREETS_PER_DISTRICT + 1):
            s = OrgUnit.objects.create(code=f"{code}{k:03d}", name=f"{name}第{k}街道", level="street", parent=d)
            units[code].append(s.pk)
    agencies = [PartnerAgency.objects.create(name=n, kind=k, org_unit=city).pk for n, k in AGENCIES]

    password = make_password("hexie-bench")
    users: list[User] = []

    def user(username: str, role: str, unit_id: int, **extra: Any) -> None:
        users.append(User(username=username, password=password, full_name=person_name(rng), role=role,
                          org_unit_id=unit_id, email=f"{username}@bench.invalid", **extra))

    user(CITY_LEADER, Role.LEADER, city.pk)
    user("bench_city_desk", Role.FRONT_DESK, city.pk)
    user("bench_admin", Role.ADMIN, city.pk, is_superuser=True, is_staff=True)
    for code, _name in DISTRICTS:
        user(district_username(code, "leader"), Role.LEADER, unit_ids[code])
        user(district_username(code, "desk"), Role.FRONT_DESK, unit_ids[code])
        for n in range(1, HANDLERS_PER_DISTRICT + 1):
            user(district_username(code, "handler", n), Role.HANDLER, unit_ids[code],
                 handler_kind=("inspector", "mediator", "arbitrator")[n % 3])
    User.objects.bulk_create(users)
    by_name = dict(User.objects.values_list("username", "pk"))
    return {
        "units": units,
        "agencies": agencies,
        "handlers": {c: [by_name[district_username(c, "handler", n)] for n in range(1, HANDLERS_PER_DISTRICT + 1)]
                     for c, _ in DISTRICTS},
        "leaders": {c: by_name[district_username(c, "leader")] for c, _ in DISTRICTS},
        "desks": {c: by_name[district_username(c, "desk")] for c, _ in DISTRICTS},
        "staff": len(users),
    }


def make_employers(rng: random.Random, n: int, units: dict[str, list[int]]) -> dict[str, list[Employer]]:
    """n employers spread like the cases; each district's list is ordered from most to least
    complained-about (workers pick from it with a skew, see draw_employer)."""
    codes = [c for c, _ in DISTRICTS]
    out: dict[str, list[Employer]] = {c: [] for c in codes}
    names: set[str] = set()
    weights = [w for _, w, _ in INDUSTRIES]
    # Past half the names the parts can make, a name drawn again is a branch of it (长沙鑫达…有限公司
    # 第2分公司), so that ten million cases' 200,000 employers can be drawn; smaller loads stay as they were.
    capacity = 3 * len(NAME_CORES) ** 2 * len(INDUSTRIES)
    branches: dict[str, int] = {}
    while sum(len(v) for v in out.values()) < n:
        district = rng.choices(codes, DISTRICT_WEIGHTS)[0]
        suffix, _w, builds = rng.choices(INDUSTRIES, weights)[0]
        name = f"{rng.choice(('湖南', '长沙', '长沙市'))}{rng.choice(NAME_CORES)}{rng.choice(NAME_CORES)}{suffix}"
        if name in names:
            if n <= capacity // 2:
                continue
            branches[name] = branches.get(name, 1) + 1
            name = f"{name}第{branches[name]}分公司"
        names.add(name)
        unit_id = rng.choice(units[district][1:]) if rng.random() < 0.9 else units[district][0]
        out[district].append(Employer(
            name=name, credit_code=credit_code(rng, district) if rng.random() < 0.8 else "",
            address=f"{CITY[1]}{dict(DISTRICTS)[district]}{rng.choice(ROADS)}{rng.randrange(1, 800)}号",
            unit_id=unit_id, district=district, builds=builds,
        ))
    return out


def make_received(rng: random.Random, n: int, now: float, cal: Any) -> list[float]:
    """n receipt times over the last three years: weekdays busier than rest days, growth over time,
    office hours busier than nights. Sorted, so that ids follow arrival as they do in production."""
    first_day = int((now + TZ_OFFSET) // DAY) - 3 * 365 + 1
    last_day = int((now + TZ_OFFSET) // DAY)
    days = list(range(first_day, last_day + 1))
    cum = []
    total = 0.0
    for i, d in enumerate(days):
        when = date.fromordinal(_EPOCH_ORDINAL + d)
        total += (1.0 if cal.is_working_day(when) else 0.35) * (0.75 + 0.5 * i / len(days))
        cum.append(total)
    hours = [0.2] * 8 + [1.0, 1.6, 1.6, 1.2, 0.6, 1.2, 1.6, 1.5, 1.2, 0.6] + [0.35] * 6  # 0h..23h
    hcum = []
    htotal = 0.0
    for h in hours:
        htotal += h
        hcum.append(htotal)
    out = []
    while len(out) < n:
        d = days[bisect.bisect(cum, rng.random() * total)]
        h = bisect.bisect(hcum, rng.random() * htotal)
        t = d * DAY - TZ_OFFSET + h * 3600 + rng.random() * 3600
        if t < now - 60:  # today's share ends now
            out.append(t)
    out.sort()
    return out


def prepare_world(rng: random.Random, n: int, city: dict[str, Any]) -> tuple[World, dict[int, int]]:
    from django.conf import settings

    from hexie.cases.models import DeadlineRule, TriageRule
    from hexie.cases.workflow import TRANSITIONS
    from hexie.core import clock
    from hexie.workcal.selectors import get_calendar

    cal = get_calendar()
    now = clock.now().timestamp()
    received = make_received(rng, n, now, cal)
    numbers = []
    per_year: dict[int, int] = {}
    for t in received:
        year = local_date(t).year
        per_year[year] = per_year.get(year, 0) + 1
        numbers.append(f"{settings.HEXIE_BUREAU_CODE}-{year}-{per_year[year]:06d}")
    employers = make_employers(rng, max(2000, n // 50), city["units"])
    projects = {
        c: [f"{name[:2]}{rng.choice(PROJECT_KINDS)}项目{rng.choice('一二三四五')}标段" for _ in range(max(20, n // 5000))]
        for c, name in DISTRICTS
    }
    frequent = [Person(person_name(rng), mobile(rng), id_number(rng)) for _ in range(max(200, n // 200))]
    public = {name: t.public_message for name, t in TRANSITIONS.items()}
    public["registered"] = "已登记，等待受理 Registered, awaiting acceptance."
    return World(
        today=clock.today(), now=now, bureau=settings.HEXIE_BUREAU_CODE, received=received, numbers=numbers,
        district_codes=[c for c, _ in DISTRICTS], employers=employers, projects=projects, frequent=frequent,
        handlers=city["handlers"], leaders=city["leaders"], desks=city["desks"], agencies=city["agencies"],
        rules={r.code: r for r in DeadlineRule.objects.all()}, triage_rules=list(TriageRule.objects.all()),
        cal=cal, public_messages=public,
    ), per_year


# --- one case's history ----------------------------------------------------------------------------


def draw_employer(rng: random.Random, district: str) -> Employer:
    pool = W.employers[district]  # type: ignore[union-attr]
    return pool[int(len(pool) * rng.random() ** 2.2)]


def describe(rng: random.Random, case_type: str, emp: Employer, workers: int, amount: Decimal, project: str) -> str:
    months = rng.randint(1, 8)
    where = f"在{project}" if project else ""
    if case_type == "wage_arrears":
        text = (f"本人{'等' + str(workers) + '人' if workers > 1 else ''}{where}为{emp.name}务工，"
                f"该单位拖欠{months}个月工资共计{amount}元，多次催要未果，请求依法责令支付。")
    elif case_type == "labour_dispute":
        text = (f"与{emp.name}因解除劳动合同经济补偿发生争议，单位未依法支付经济补偿金{amount}元，"
                f"且未缴纳社会保险，申请调解或仲裁。")
    elif case_type == "petition":
        text = f"反映{emp.name}长期拖欠工资、相关部门处理不力的问题，请求督促解决并答复。"
    else:
        text = f"咨询{emp.name}未签订书面劳动合同、加班费计算及工资支付周期的有关规定。"
    if rng.random() < 0.004:
        text += rng.choice(("工友们说再不解决就去拉横幅讨说法。", "有工人扬言要爬塔吊。", "大家准备集体去堵路。"))
    return text


@dataclass
class Step:
    kind: str
    at: float
    to_status: str


def build_case(rng: random.Random, case_id: int, burst: dict[str, Any] | None,
               rows: dict[str, list[dict[str, Any]]]) -> None:
    """Append the rows of one case (case, deadlines, events, referral) to `rows`."""
    w = W
    assert w is not None
    received = w.received[case_id - 1]
    case_type = pick(rng, CASE_TYPES)
    channel = pick(rng, CHANNELS)

    if burst is not None:
        emp = burst["employer"]
        district = emp.district
    else:
        district = rng.choices(w.district_codes, DISTRICT_WEIGHTS)[0]
        emp = draw_employer(rng, district)
    project = ""
    if emp.builds and rng.random() < 0.6:
        project = burst["project"] if burst is not None else rng.choice(w.projects[district])

    repeat_count = 0
    if rng.random() < 0.06:
        person = rng.choice(w.frequent)
        repeat_count = rng.randint(1, 4)
    else:
        person = Person(person_name(rng), mobile(rng), id_number(rng) if rng.random() < 0.6 else "")
    r = rng.random()
    workers = 1 if r < 0.70 else rng.randint(2, 9) if r < 0.92 else rng.randint(10, 29) if r < 0.98 \
        else rng.randint(30, 200)
    if case_type == "consultation":
        amount = Decimal("0.00")
    else:
        amount = Decimal(workers * rng.randint(2500, 9000) * rng.randint(1, 6)).quantize(Decimal("0.01"))
    description = describe(rng, case_type, emp, workers, amount, project)
    is_backlog = repeat_count > 0 and rng.random() < 0.2
    result = triage(IntakeFacts(workers_count=workers, amount_claimed=amount, description=description,
                                repeat_count=repeat_count, is_backlog=is_backlog,
                                cluster_size=burst["size"] if burst is not None else 0), w.triage_rules)

    # The history: each step's moment, then cut at now.
    track = pick(rng, TRACKS[case_type])
    quick = case_type == "wage_arrears" and result.complexity == "simple"
    steps = [Step("registered", received, "registered")]
    t = received
    if case_type == "petition":
        t += DAY * (rng.uniform(1, 12) if rng.random() < 0.95 else rng.uniform(16, 30))
    elif case_type == "consultation":
        t += DAY * rng.uniform(0.05, 2)
    else:
        t += DAY * (rng.uniform(0.1, 4) if rng.random() < 0.95 else rng.uniform(8, 15))
    refused = rng.random() < (0.02 if case_type == "consultation" else 0.05)
    extended = False
    if refused:
        steps.append(Step("refuse", t, "refused"))
    else:
        # The track is chosen at acceptance (a simple wage clue stays with inspection or mediation).
        if quick and track not in ("inspection", "mediation"):
            track = "inspection"
        steps.append(Step("accept", t, "accepted"))
        t += DAY * rng.uniform(0.05, 1.5)
        steps.append(Step("assign", t, "assigned"))
        if quick:
            t += DAY * rng.uniform(0.02, 0.5)
        else:
            t += DAY * rng.uniform(0.05, 2)
        steps.append(Step("start_handling", t, "in_handling"))
        started = t
        if rng.random() < 0.01:  # stuck: the backlog every bureau has
            handling = rng.uniform(150, 1000)
        elif quick:
            handling = rng.uniform(0.2, 2.5) if rng.random() < 0.85 else rng.uniform(3.5, 12)
        else:
            (lo, hi), (late_lo, late_hi), late = HANDLING_DAYS[track]
            extended = track in ("inspection", "arbitration", "petition", "referral") and rng.random() < 0.04
            handling = rng.uniform(late_lo, late_hi) if rng.random() < late else rng.uniform(lo, hi)
        if rng.random() < 0.04:
            at = started + DAY * rng.uniform(1, max(1.5, handling / 2))
            pause = DAY * rng.uniform(10, 90)
            steps.append(Step("suspend", at, "suspended"))
            steps.append(Step("resume", at + pause, "in_handling"))
            handling += pause / DAY
        t = started + DAY * handling
        steps.append(Step("resolve", t, "resolved"))
        if rng.random() < 0.7:
            t += DAY * rng.uniform(0.5, 5)
            steps.append(Step("start_follow_up", t, "follow_up"))
        t += DAY * rng.uniform(0.5, 7)
        steps.append(Step("close", t, "closed"))
    steps = [s for s in steps if s.at <= w.now]
    status = steps[-1].to_status
    at_of = {s.kind: s.at for s in steps}

    # Clocks, as start_deadlines / finish_deadlines / pause / resume (hexie.cases.services.clocks) leave them.
    deadlines: list[list[Any]] = []  # [rule, starts_on, state, paused_on, paused_days, finished_at, extended]
    received_on = local_date(received)

    def start(trigger: str, on_t: float) -> None:
        on = local_date(on_t)
        for code in TRIGGER_RULES[trigger]:
            rule = w.rules[code]
            if rule.case_types and case_type not in rule.case_types:
                continue
            if rule.track and rule.track != track:
                continue
            if rule.complexity and rule.complexity != result.complexity:
                continue
            # A track's clock counted from receipt (mediation, a consultation's answer) starts on the
            # day the application was received, however long acceptance took (enter_track).
            starts_on = received_on if trigger == "start" and rule.counts_from == "receipt" else on
            deadlines.append([rule, starts_on, "running", None, 0, None, extended and trigger == "start"])

    def finish(ends_on: str | None, state: str, at: float) -> None:
        for d in deadlines:
            if d[2] in ("running", "paused") and (ends_on is None or d[0].ends_on == ends_on):
                d[2], d[5] = state, at

    for s in steps:
        if s.kind == "registered":
            start("intake", s.at)
        elif s.kind == "refuse":
            finish("decision", "met", s.at)
            finish(None, "cancelled", s.at)
        elif s.kind == "accept":  # meet_decision_clocks, start_acceptance_clocks, enter_track
            finish("decision", "met", s.at)
            start("accept", s.at)
            start("start", s.at)
        elif s.kind == "suspend":
            for d in deadlines:
                if d[2] == "running":
                    d[2], d[3] = "paused", local_date(s.at)
        elif s.kind == "resume":
            for d in deadlines:
                if d[2] == "paused":
                    d[4] += workcal.count_period_days(w.cal, d[3], local_date(s.at), d[0].unit)
                    d[2], d[3] = "running", None
        elif s.kind == "resolve":
            finish("resolution", "met", s.at)
        elif s.kind == "close":
            finish(None, "cancelled", s.at)

    next_due = None
    missed: list[date] = []  # due dates of clocks met late or paused after their due date (clocks.missed_q)
    for k, (rule, starts_on, state, paused_on, paused_days, finished_at, ext) in enumerate(deadlines):
        total = rule.length + (rule.extension_length if ext else 0) + paused_days
        d = due(starts_on, total, rule.unit)
        on_time = None
        if state == "met":
            on_time = local_date(finished_at) <= d.due_on
        if state == "running" and (next_due is None or d.due_on < next_due):
            next_due = d.due_on
        if on_time is False or (state == "paused" and d.due_on < paused_on):
            missed.append(d.due_on)
        rows["cases_deadline"].append({
            "id": case_id * DEADLINES_PER_CASE + k, "case_id": case_id, "rule_id": rule.pk, "state": state,
            "starts_on": starts_on, "due_on": d.due_on, "is_provisional": d.provisional, "extended": ext,
            "paused_on": paused_on, "paused_days": paused_days, "finished_at": ts(finished_at) if finished_at else None,
            "finished_on_time": on_time,
        })

    # People.
    handler = leader = None
    if "assign" in at_of:
        handler = rng.choice(w.handlers[district])
        leader = w.leaders[district]
    desk = w.desks[district] if channel in STAFF_CHANNELS else None
    acceptor = desk or w.leaders[district]

    # The timeline, one event per step, as the services write them.
    events = rows["cases_timelineevent"]
    for k, s in enumerate(steps):
        actor = {"registered": desk, "accept": acceptor, "refuse": desk, "assign": leader,
                 "start_handling": handler, "suspend": handler, "resume": handler, "resolve": handler,
                 "start_follow_up": desk or leader, "close": desk or leader}.get(s.kind)
        data: dict[str, Any] = {}
        message = ""
        if s.kind == "registered":
            data = {"triage": result.reasons}
            message = f"经{channel}登记 / registered via {channel}"
        elif s.kind == "accept":
            data = {"track": track}
        elif s.kind == "assign":
            data = {"handler": str(handler), "responsible_leader": str(leader)}
        elif s.kind == "start_handling":
            data = {"track": track, "previous_track": track}
        elif s.kind in ("refuse", "suspend"):
            message = "材料不全且逾期未补正" if s.kind == "refuse" else "等待工伤认定结论"
        from_status = steps[k - 1].to_status if k else ""
        public = w.public_messages.get(s.kind, "")
        events.append({
            "id": case_id * EVENTS_PER_CASE + k, "case_id": case_id, "at": ts(s.at), "kind": s.kind,
            "actor_id": actor, "from_status": from_status, "to_status": s.to_status, "message": message,
            "public_message": public, "is_public": bool(public), "data": json.dumps(data, ensure_ascii=False),
        })

    conclusion = recovered = benefited = satisfaction = None
    cause = outcome = ""
    if "resolve" in at_of:
        conclusion = REFERRED_CONCLUSION if track == "referral" else rng.choice(CONCLUSIONS[case_type])
        if conclusion == "paid_in_full":
            recovered = str(amount)
        elif conclusion in ("paid_in_part", "mediated", "awarded"):
            recovered = str((amount * Decimal("0.6")).quantize(Decimal("0.01")))
        else:
            recovered = "0.00"
        benefited = workers if recovered != "0.00" else 0
        if case_type == "labour_dispute":
            cause = pick(rng, DISPUTE_CAUSES)
            outcome = rng.choice(OUTCOMES.get(conclusion, ("",)))
    if status == "closed" and rng.random() < 0.85:
        satisfaction = rng.choice((3, 4, 4, 5, 5, 5))
    if track == "referral" and "accept" in at_of:  # refer_to_agency, on acceptance onto the track
        answered = at_of.get("resolve")
        rows["cases_referral"].append({
            "id": case_id, "case_id": case_id, "agency_id": rng.choice(w.agencies),
            "referred_at": ts(at_of["accept"]), "referred_by_id": acceptor, "note": "请依职责核查处理",
            "answered_at": ts(answered) if answered else None, "answer": "已核查并督促支付" if answered else "",
        })

    rows["cases_case"].append({
        "id": case_id, "number": w.numbers[case_id - 1], "tracking_code": tracking_code(case_id),
        "case_type": case_type, "channel": channel, "status": status,
        "track": track if "accept" in at_of else "", "received_at": ts(received),
        "external_ref": f"12345-{case_id:09d}" if channel == "hotline_12345" else "",
        "complainant_name": person.name, "complainant_phone": encrypt(person.phone),
        "complainant_phone_hash": lookup_hash(person.phone), "complainant_phone_last4": person.phone[-4:],
        "complainant_id_number": encrypt(person.id_number) if person.id_number else "",
        "complainant_id_hash": lookup_hash(person.id_number),
        "employer_name": emp.name, "employer_credit_code": emp.credit_code, "employer_address": emp.address,
        "project_name": project, "org_unit_id": emp.unit_id, "workers_count": workers, "amount_claimed": str(amount),
        "description": description, "complexity": result.complexity, "is_collective": result.is_collective,
        "is_repeat": repeat_count > 0, "is_backlog": is_backlog,
        "risk_level": result.risk_level if burst is None else max_level(result.risk_level, burst["risk"]),
        "attention_level": result.attention_level,
        "triage_reasons": json.dumps(result.reasons, ensure_ascii=False),
        "cluster_id": burst["id"] if burst is not None else None, "handler_id": handler,
        "responsible_leader_id": leader, "registered_by_id": desk,
        "refusal_reason": "材料不全且逾期未补正" if status == "refused" else "",
        "closure_conclusion": conclusion or "", "dispute_cause": cause, "outcome": outcome,
        "amount_recovered": recovered, "workers_benefited": benefited, "satisfaction": satisfaction,
        "reopen_count": 0, "next_due_on": next_due,
        # As clocks.late_after_sql: the earliest of the next due date and the missed clocks' due dates.
        "late_after": min([*missed, *([next_due] if next_due else [])], default=None),
        "accepted_at": ts(at_of["accept"]) if "accept" in at_of else None,
        "track_accepted_at": ts(at_of["accept"]) if "accept" in at_of else None,
        "resolved_at": ts(at_of["resolve"]) if "resolve" in at_of else None,
        "closed_at": ts(at_of["close"]) if "close" in at_of else None,
        "refused_at": ts(at_of["refuse"]) if "refuse" in at_of else None,
        "created_at": ts(received + 30), "updated_at": ts(steps[-1].at), "version": len(steps) - 1,
    })


TRIGGER_RULES: dict[str, list[str]] = {}

# The tables the loader writes, and for each the columns of its Django model in model order (set by
# bind_columns once Django is set up): every column the model has is written, so a column added to a
# model cannot be forgotten here. A row is a dict by column name (check_row); a nullable column it
# does not name is written as NULL, and the loader says which (preflight).
BULK_MODELS = {"cases_cluster": "Cluster", "cases_case": "Case", "cases_deadline": "Deadline",
               "cases_timelineevent": "TimelineEvent", "cases_referral": "Referral"}
COLUMNS: dict[str, tuple[str, ...]] = {}
NOT_NULL: dict[str, frozenset[str]] = {}


def bind_columns() -> None:
    from hexie.cases import models

    for table, name in BULK_MODELS.items():
        model = getattr(models, name)
        assert model._meta.db_table == table, (model, table)
        COLUMNS[table], NOT_NULL[table] = model_columns(model)


def unset_nullable(table: str, row: dict[str, Any]) -> list[str]:
    """The nullable columns a row does not name: written as NULL, and reported by the loader."""
    return [c for c in COLUMNS[table] if c not in row]


LEVELS = ("green", "yellow", "orange", "red")


def max_level(a: str, b: str) -> str:
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


# --- the parallel COPY -------------------------------------------------------------------------------

_conn: psycopg.Connection | None = None


def _worker_init(url: str) -> None:
    global _conn
    _conn = psycopg.connect(url)
    # A lost chunk is reloaded by running the loader again; no need to wait for the WAL flush.
    _conn.execute("SET synchronous_commit = off")
    _conn.commit()


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Promise) else value


def load_chunk(bounds: tuple[int, int, int]) -> tuple[dict[str, int], float, float]:
    """Generate cases [first, last] and COPY them in one transaction; returns row counts and the
    seconds spent generating and copying. Every column of each model is written (see COLUMNS)."""
    first, last, seed = bounds
    rng = random.Random(f"{seed}:{first}")
    t0 = time.perf_counter()
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in COLUMNS}
    case_id = first
    while case_id <= last:
        if rng.random() < 0.002 and last - case_id >= 3:
            size = min(rng.randint(3, 8), last - case_id + 1)
            district = rng.choices(W.district_codes, DISTRICT_WEIGHTS)[0]  # type: ignore[union-attr]
            emp = draw_employer(rng, district)
            burst = {"id": case_id, "employer": emp, "project": rng.choice(W.projects[district]),  # type: ignore[union-attr]
                     "risk": rng.choice(("yellow", "orange")), "size": 0}
            for k in range(size):
                burst["size"] = k + 1 if k >= 2 else 0
                build_case(rng, case_id + k, burst, rows)
            key = f"cc:{emp.credit_code}" if emp.credit_code else f"emp:{emp.name}"
            rows["cases_cluster"].append({
                "id": case_id, "key": key, "label": emp.name,
                "first_received_at": ts(W.received[case_id - 1]),  # type: ignore[union-attr]
                "last_received_at": ts(W.received[case_id + size - 2]),  # type: ignore[union-attr]
                "risk_level": burst["risk"], "case_count": size,
            })
            case_id += size
        else:
            build_case(rng, case_id, None, rows)
            case_id += 1
    t1 = time.perf_counter()
    assert _conn is not None
    with _conn.cursor() as cur:
        for table, cols in COLUMNS.items():
            if not rows[table]:
                continue
            # Every row of a table is built by the same code: its first row stands for the others
            # (PostgreSQL itself refuses a NULL that a later row would bring).
            check_row(table, rows[table][0], cols, NOT_NULL[table])
            with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows[table]:
                    # Labels come from the models as lazy translations: the stored text is the Chinese.
                    copy.write_row(tuple(_plain(row.get(c)) for c in cols))
    _conn.commit()
    return {t: len(r) for t, r in rows.items()}, t1 - t0, time.perf_counter() - t1


def preflight(say: Any) -> None:
    """Build a few hundred cases (not written) and check their rows against the models before the
    database is touched: a column the loader does not fill stops it here, naming the column."""
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in COLUMNS}
    rng = random.Random("preflight")
    assert W is not None
    for case_id in range(1, min(len(W.received), 500) + 1):
        build_case(rng, case_id, None, rows)
    unset: dict[str, list[str]] = {}
    for table, built in rows.items():
        if built:
            try:
                check_row(table, built[0], COLUMNS[table], NOT_NULL[table])
            except MissingColumn as exc:
                sys.exit(f"load_cases: {exc}")
            if missing := unset_nullable(table, built[0]):
                unset[table] = missing
    say("rows checked against the models: every NOT NULL column has a value"
        + ("; left NULL (nullable, not filled by the loader): "
           + "; ".join(f"{t}: {', '.join(c)}" for t, c in unset.items()) if unset else ""))


def drop_bulk_indexes(conn: psycopg.Connection) -> list[str]:
    """Drop the secondary indexes, unique and foreign-key constraints of the bulk tables; return the
    statements that recreate them exactly (same names, same definitions)."""
    restore: list[str] = []
    drops: list[str] = []
    for table in BULK_TABLES:
        cons = conn.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')", (table,)).fetchall()
        for name, definition, _ in cons:
            drops.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        idx = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename = %s "
            "AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            (table, table)).fetchall()
        for name, definition in idx:
            drops.append(f'DROP INDEX "{name}"')
            restore.append(definition)
    # Foreign keys between the bulk tables are dropped before the indexes they lean on.
    for stmt in sorted(drops, key=lambda s: "DROP INDEX" in s):
        conn.execute(stmt)
    conn.commit()
    # Indexes and unique constraints first, foreign keys last (they validate using the indexes).
    return sorted(restore, key=lambda s: "FOREIGN KEY" in s)


def restore_indexes(url: str, statements: list[str], jobs: int) -> None:
    def run(stmt: str) -> None:
        with psycopg.connect(url, autocommit=True) as c:
            c.execute("SET maintenance_work_mem = '512MB'")
            c.execute(stmt)

    builds = [s for s in statements if "FOREIGN KEY" not in s]
    fks = [s for s in statements if "FOREIGN KEY" in s]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, builds))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, fks))


def main() -> None:
    global W
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--jobs", type=int, default=2, help="generating/copying processes (default 2: two cores)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    check_bench_url(args.url)
    url = psycopg_url(args.url)
    started = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {msg}", flush=True)

    recreate_database(args.url)
    say(f"database {database_name(args.url)} recreated")
    setup_django(args.url)
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    bind_app()
    say("migrations applied (deadline and triage rules seeded)")
    from hexie.workcal.services import seed_from_chinesecalendar

    say(f"working-day calendar seeded: {seed_from_chinesecalendar()} rows")
    rng = random.Random(args.seed)
    city = build_city(rng)
    say(f"org tree: 1 city, {len(DISTRICTS)} districts, {len(DISTRICTS) * STREETS_PER_DISTRICT} streets; "
        f"{city['staff']} staff; {len(city['agencies'])} partner agencies")
    W, per_year = prepare_world(rng, args.cases, city)
    for trigger in ("intake", "accept", "start"):
        TRIGGER_RULES[trigger] = sorted(code for code, r in W.rules.items() if r.trigger == trigger and r.is_active)
    say(f"{args.cases:,} receipt times drawn ({local_date(W.received[0])} .. {local_date(W.received[-1])}), "
        f"{sum(len(v) for v in W.employers.values()):,} employers")

    bind_columns()
    preflight(say)

    with psycopg.connect(url) as conn:
        restore = drop_bulk_indexes(conn)
    say(f"dropped {len(restore)} secondary indexes and constraints for the load")
    connections.close_all()  # the children must not share the parent's connection

    chunks = [(a, min(a + CHUNK - 1, args.cases), args.seed) for a in range(1, args.cases + 1, CHUNK)]
    totals: dict[str, int] = {}
    gen_s = copy_s = 0.0
    t_load = time.perf_counter()
    ctx = mp.get_context("fork")
    with ctx.Pool(args.jobs, initializer=_worker_init, initargs=(url,)) as pool:
        for k, (counts, g, c) in enumerate(pool.imap_unordered(load_chunk, chunks), 1):
            for table, n in counts.items():
                totals[table] = totals.get(table, 0) + n
            gen_s, copy_s = gen_s + g, copy_s + c
            if k % max(1, len(chunks) // 10) == 0 or k == len(chunks):
                done = totals["cases_case"]
                elapsed = time.perf_counter() - t_load
                say(f"  {done:>9,} cases  {done / elapsed:8,.0f} cases/s  "
                    f"{sum(totals.values()) / elapsed:9,.0f} rows/s")
    load_s = time.perf_counter() - t_load
    rows = sum(totals.values())
    say(f"COPY done: {rows:,} rows in {load_s:.1f}s = {rows / load_s:,.0f} rows/s "
        f"({args.cases / load_s:,.0f} cases/s; summed over the processes: generating and encrypting "
        f"{gen_s:.0f}s, COPY {copy_s:.0f}s)")
    for table in COLUMNS:
        say(f"  {table:22} {totals.get(table, 0):>11,}")

    t_idx = time.perf_counter()
    restore_indexes(url, restore, args.jobs)
    say(f"indexes and constraints rebuilt in {time.perf_counter() - t_idx:.1f}s")

    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("cases_case", "cases_deadline", "cases_timelineevent", "cases_referral", "cases_cluster"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
        for year, last in per_year.items():
            conn.execute("INSERT INTO cases_casenumbersequence (bureau_code, year, last) VALUES (%s, %s, %s)",
                         (W.bureau, year, last))
        t_vac = time.perf_counter()
        conn.execute("VACUUM (ANALYZE)")
        say(f"VACUUM (ANALYZE) in {time.perf_counter() - t_vac:.1f}s")
        stats = conn.execute(
            "SELECT count(*) FILTER (WHERE status IN ('registered','accepted','assigned','in_handling','suspended')),"
            " count(*) FILTER (WHERE status = 'closed'), count(*) FILTER (WHERE next_due_on < %s),"
            " count(*) FILTER (WHERE is_collective), count(*) FILTER (WHERE cluster_id IS NOT NULL),"
            " count(*) FILTER (WHERE risk_level = 'red') FROM cases_case", (W.today,)).fetchone()
        by_status = conn.execute("SELECT status, count(*) FROM cases_case GROUP BY 1 ORDER BY 2 DESC").fetchall()
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()
    assert stats is not None and size is not None
    n = args.cases
    say(f"open {stats[0]:,} ({stats[0] / n:.1%}), closed {stats[1]:,} ({stats[1] / n:.1%}), "
        f"overdue {stats[2]:,}, collective {stats[3]:,}, in a cluster {stats[4]:,}, red {stats[5]:,}")
    say("by status: " + ", ".join(f"{s} {c:,}" for s, c in by_status))
    say(f"database size {size[0]}; district of the district leader: {BENCH_DISTRICT}")
    total_s = time.perf_counter() - started
    print(f"loaded {n:,} cases ({rows:,} rows) in {total_s:.0f}s: {rows / load_s:,.0f} rows/s during COPY")


if __name__ == "__main__":
    sys.exit(main())
