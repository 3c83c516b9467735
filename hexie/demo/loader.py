"""The demo city: a Changsha-like bureau with staff in every role and a year of cases.

Two halves:

* **Generators** (no database): the org tree, staff, partner agencies, ~300 employers with valid
  unified social credit codes, ~40 construction projects, and one `CasePlan` per case: who
  complained about whom, when, and every step of its history with the moment it happened. They
  draw from `random.Random(seed)` only, so the same seed, size and `now` give the same city.
* **`load_demo`**: writes the city and replays each plan through the real services
  (`register_case`, `transition`, `extend_deadline`, `restart_clock`, `answer_referral`,
  `record_rating`) under `clock.at(step time)`, so every case has a real timeline and its clocks
  (due dates, overdue) are what the platform would have computed at the time.

The employer and project lists are kept here (`make_employers`, `make_projects`) so that the issue
adding Employer/Project models can register the same ones.
"""

from __future__ import annotations

import random
import sys
import time as time_mod
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from hexie.core.identifiers import make_credit_code, make_id_number


class Writer(Protocol):
    """Where the loader reports progress: a file, sys.stdout or a management command's stdout."""

    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


DEMO_PASSWORD = "hexie-demo-2026"  # noqa: S105 - published demo password, printed on every start
DEMO_ADMIN = "admin"
CITY_CODE = "430100"
CITY_NAME = "长沙市"


# --- the org tree (GB/T 2260 district codes; streets under each) -------------------------------


@dataclass(frozen=True)
class District:
    code: str
    name: str
    slug: str  # used in usernames: desk_yuelu, inspector_yuelu...
    streets: tuple[str, ...]
    roads: tuple[str, ...]  # for employer addresses
    places: tuple[str, ...]  # for construction project names
    weight: float  # share of the city's cases


# Street codes are 9-digit statistical codes: the district code + a 3-digit serial. The names are
# real streets and towns of each district; the serials are given in the order listed here and are
# not claimed to match the official serials.
DISTRICTS: tuple[District, ...] = (
    District("430102", "芙蓉区", "furong",
             ("文艺路街道", "朝阳街道", "韭菜园街道", "五里牌街道", "定王台街道", "马王堆街道"),
             ("五一大道", "芙蓉中路", "韶山北路", "八一路", "解放东路"),
             ("东屯渡", "马坡岭", "火星", "东岸"), 9),
    District("430103", "天心区", "tianxin",
             ("坡子街街道", "城南路街道", "裕南街街道", "金盆岭街道", "新开铺街道", "暮云街道"),
             ("劳动西路", "书院路", "芙蓉南路", "湘府中路", "新姚路"),
             ("暮云", "南托", "大托", "黑石铺"), 11),
    District("430104", "岳麓区", "yuelu",
             ("望岳街道", "岳麓街道", "橘子洲街道", "银盆岭街道", "梅溪湖街道", "麓谷街道"),
             ("麓山南路", "桐梓坡路", "枫林三路", "岳麓大道", "潇湘中路"),
             ("梅溪湖", "洋湖", "含浦", "坪塘", "麓谷"), 16),
    District("430105", "开福区", "kaifu",
             ("湘雅路街道", "望麓园街道", "清水塘街道", "伍家岭街道", "四方坪街道", "月湖街道"),
             ("湘江中路", "三一大道", "芙蓉北路", "德雅路", "营盘路"),
             ("马栏山", "月湖", "捞刀河", "青竹湖"), 12),
    District("430111", "雨花区", "yuhua",
             ("侯家塘街道", "左家塘街道", "雨花亭街道", "东塘街道", "砂子塘街道", "高桥街道"),
             ("韶山中路", "劳动东路", "万家丽中路", "湘府东路", "曙光中路"),
             ("高铁新城", "黎托", "圭塘", "同升"), 16),
    District("430112", "望城区", "wangcheng",
             ("高塘岭街道", "月亮岛街道", "乌山街道", "白沙洲街道", "靖港镇"),
             ("雷锋大道", "郭亮中路", "金星北路", "旺旺路"),
             ("月亮岛", "高塘岭", "铜官", "乌山"), 8),
    District("430121", "长沙县", "changshaxian",
             ("星沙街道", "湘龙街道", "泉塘街道", "榔梨街道", "黄花镇"),
             ("开元路", "星沙大道", "东八线", "板仓路"),
             ("星沙", "黄花", "榔梨", "安沙"), 14),
    District("430181", "浏阳市", "liuyang",
             ("淮川街道", "集里街道", "荷花街道", "永安镇"),
             ("金沙北路", "白沙路", "劳动路"),
             ("淮川", "集里", "永安"), 7),
    District("430182", "宁乡市", "ningxiang",
             ("玉潭街道", "白马桥街道", "历经铺街道", "花明楼镇"),
             ("一环北路", "花明北路", "新康路"),
             ("玉潭", "金洲", "白马桥"), 7),
)


def street_code(district: District, index: int) -> str:
    return f"{district.code}{index + 1:03d}"


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    level: str
    parent_code: str | None


def org_tree() -> list[OrgSpec]:
    """City, districts and streets, parents first."""
    out = [OrgSpec(CITY_CODE, CITY_NAME, "city", None)]
    for d in DISTRICTS:
        out.append(OrgSpec(d.code, d.name, "district", CITY_CODE))
    for d in DISTRICTS:
        for i, name in enumerate(d.streets):
            out.append(OrgSpec(street_code(d, i), name, "street", d.code))
    return out


# --- partner agencies and staff ---------------------------------------------------------------


AGENCIES: tuple[tuple[str, str, str], ...] = (
    # (kind, name, partner username)
    ("court", "长沙市中级人民法院", "court_partner"),
    ("union", "长沙市总工会", "union_partner"),
    ("housing", "长沙市住房和城乡建设局", "housing_partner"),
    ("police", "长沙市公安局", "police_partner"),
)


@dataclass(frozen=True)
class StaffSpec:
    username: str
    full_name: str
    role: str
    unit_code: str
    handler_kind: str = ""
    agency_kind: str = ""
    is_superuser: bool = False


SURNAMES = (
    "刘李王陈张彭周谭罗黄唐邓曾杨胡吴赵欧阳龙易贺肖袁蒋廖何邹熊朱许段万汤文戴谢毛钟梁石郭姚雷范"
)
_DOUBLE_SURNAMES = ("欧阳",)
GIVEN_MALE = ("伟", "强", "军", "勇", "杰", "涛", "斌", "波", "辉", "刚", "健", "明", "平", "华", "建国", "建华",
              "志强", "国平", "红兵", "海涛", "小龙", "文杰", "俊杰", "浩", "鹏", "磊", "超", "德胜", "长青", "立新")
GIVEN_FEMALE = ("芳", "娟", "敏", "静", "丽", "艳", "霞", "燕", "玲", "婷", "红梅", "秀英", "桂英", "美华", "小红",
                "丹", "佳", "慧", "琴", "莉", "春兰", "湘君", "晓雯", "雨欣")


def _surname(rng: random.Random) -> str:
    if rng.random() < 0.02:
        return rng.choice(_DOUBLE_SURNAMES)
    return rng.choice([c for c in SURNAMES if c not in "欧阳"])


def person_name(rng: random.Random, male: bool) -> str:
    return _surname(rng) + rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)


ROLE_LABELS = {
    "admin": "管理员 Administrator", "leader": "领导 Leader", "front_desk": "窗口/热线 Front desk",
    "handler": "承办人 Handler", "partner": "联动单位 Partner agency",
}
KIND_LABELS = {"inspector": "监察员 inspector", "mediator": "调解员 mediator", "arbitrator": "仲裁员 arbitrator"}


def staff_specs(seed: int = 2026) -> list[StaffSpec]:
    """Every role at city level and in each district, plus one member of staff per partner agency."""
    rng = random.Random(f"staff:{seed}")

    def name() -> str:
        return person_name(rng, rng.random() < 0.6)

    out = [
        StaffSpec(DEMO_ADMIN, "系统管理员", "admin", CITY_CODE, is_superuser=True),
        StaffSpec("city_leader", name(), "leader", CITY_CODE),
        StaffSpec("city_desk", name(), "front_desk", CITY_CODE),
        StaffSpec("city_inspector", name(), "handler", CITY_CODE, handler_kind="inspector"),
        StaffSpec("city_mediator", name(), "handler", CITY_CODE, handler_kind="mediator"),
        StaffSpec("city_arbitrator", name(), "handler", CITY_CODE, handler_kind="arbitrator"),
    ]
    for d in DISTRICTS:
        out += [
            StaffSpec(f"leader_{d.slug}", name(), "leader", d.code),
            StaffSpec(f"desk_{d.slug}", name(), "front_desk", d.code),
            StaffSpec(f"inspector_{d.slug}", name(), "handler", d.code, handler_kind="inspector"),
            StaffSpec(f"mediator_{d.slug}", name(), "handler", d.code, handler_kind="mediator"),
            StaffSpec(f"arbitrator_{d.slug}", name(), "handler", d.code, handler_kind="arbitrator"),
            StaffSpec(f"admin_{d.slug}", name(), "admin", d.code),
        ]
    for kind, _agency, username in AGENCIES:
        out.append(StaffSpec(username, name(), "partner", CITY_CODE, agency_kind=kind))
    return out


# --- identifiers ----------------------------------------------------------------------------

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                   "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181",
                   "182", "183", "185", "186", "187", "188", "189", "198", "199")


def make_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10 ** 8):08d}"


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    id_number: str


def make_person(rng: random.Random) -> Person:
    male = rng.random() < 0.72  # most construction and factory complainants are men
    return Person(person_name(rng, male), make_mobile(rng), make_id_number(rng, male))


# --- employers and projects --------------------------------------------------------------------


@dataclass(frozen=True)
class Employer:
    name: str
    credit_code: str
    address: str
    district_code: str
    street_code: str
    industry: str  # construction, labour (labour subcontractor), manufacturing, services...


_NAME_CORES = (
    "鑫达", "恒盛", "宏远", "金湘", "瑞丰", "华信", "博润", "湘麓", "星城", "楚天", "和顺", "裕通", "嘉禾", "鼎盛",
    "宏图", "汇丰源", "佳运", "润达", "永兴", "天顺", "隆昌", "兴旺达", "中盛", "远航", "晨光", "铭泰", "诚信达", "万和",
    "广源", "德润", "聚力", "启航", "锦程", "富民", "安居", "湘江源", "岳丰", "正阳", "通达", "新纪元", "百川", "众邦",
    "盛世", "开元", "利民", "长远", "东方红", "蓝天", "金桥", "华美", "振兴", "宏发", "顺安", "福瑞", "景和", "云帆",
)
# (industry, suffix, share)
_INDUSTRIES = (
    ("construction", "建设工程有限公司", 0.10),
    ("labour", "建筑劳务有限公司", 0.16),
    ("decoration", "装饰工程有限公司", 0.06),
    ("manufacturing", "机械制造有限公司", 0.07),
    ("electronics", "电子科技有限公司", 0.07),
    ("garment", "服饰有限公司", 0.05),
    ("food", "食品有限公司", 0.05),
    ("catering", "餐饮管理有限公司", 0.09),
    ("property", "物业管理有限公司", 0.07),
    ("logistics", "物流有限公司", 0.06),
    ("security", "保安服务有限公司", 0.04),
    ("housekeeping", "家政服务有限公司", 0.04),
    ("hotel", "酒店管理有限公司", 0.04),
    ("trade", "商贸有限公司", 0.06),
    ("auto", "汽车服务有限公司", 0.04),
)
_SHOPS = ("餐馆", "汽车修理店", "理发店", "便利店", "烧烤店", "粉店", "洗车店")


def make_employers(seed: int = 2026, n: int = 300) -> list[Employer]:
    """`n` employers with unique names and valid credit codes, spread over the districts."""
    rng = random.Random(f"employers:{seed}")
    weights = [d.weight for d in DISTRICTS]
    kinds = [k for k, _, _ in _INDUSTRIES]
    shares = [s for _, _, s in _INDUSTRIES]
    suffix = {k: s for k, s, _ in _INDUSTRIES}
    out: list[Employer] = []
    names: set[str] = set()
    codes: set[str] = set()
    while len(out) < n:
        d = rng.choices(DISTRICTS, weights)[0]
        si = rng.randrange(len(d.streets))
        individual = rng.random() < 0.06
        if individual:
            industry = "individual"
            name = f"{CITY_NAME}{d.name}{rng.choice(SURNAMES)}记{rng.choice(_SHOPS)}"
        else:
            industry = rng.choices(kinds, shares)[0]
            prefix = rng.choice(("湖南", "湖南", "长沙", "长沙市"))
            name = f"{prefix}{rng.choice(_NAME_CORES)}{suffix[industry]}"
        if name in names:
            continue
        code = make_credit_code(rng, d.code, individual=individual)
        if code in codes:
            continue
        names.add(name)
        codes.add(code)
        address = f"{CITY_NAME}{d.name}{rng.choice(d.roads)}{rng.randrange(1, 600)}号"
        out.append(Employer(name, code, address, d.code, street_code(d, si), industry))
    return out


@dataclass(frozen=True)
class Project:
    name: str
    district_code: str
    street_code: str
    contractor: int  # index into the employer list (general contractor)
    subcontractors: tuple[int, ...]  # labour subcontractors


_PROJECT_KINDS = ("安置房", "安置房", "公租房", "保障性住房", "棚户区改造", "中学新建", "小学改扩建", "人民医院门诊综合楼",
                  "道路提质改造", "综合管廊", "产业园标准厂房", "商业综合体", "污水处理厂提标改造", "人才公寓")
_SECTIONS = ("一", "二", "三", "四", "五")


def make_projects(employers: list[Employer], seed: int = 2026, n: int = 40) -> list[Project]:
    """`n` construction projects ("梅溪湖安置房项目三标段"), each with a general contractor from the
    construction companies and one to three labour subcontractors."""
    rng = random.Random(f"projects:{seed}")
    contractors = [i for i, e in enumerate(employers) if e.industry in ("construction", "decoration")]
    labour = [i for i, e in enumerate(employers) if e.industry == "labour"]
    growth = {"430104": 3, "430111": 3, "430103": 2, "430121": 3, "430112": 2, "430105": 2}
    weights = [growth.get(d.code, 1) for d in DISTRICTS]
    out: list[Project] = []
    names: set[str] = set()
    while len(out) < n:
        d = rng.choices(DISTRICTS, weights)[0]
        kind = rng.choice(_PROJECT_KINDS)
        if rng.random() < 0.7:
            name = f"{rng.choice(d.places)}{kind}项目{rng.choice(_SECTIONS)}标段"
        else:
            name = f"{rng.choice(d.places)}{kind}工程"
        if name in names:
            continue
        names.add(name)
        subs = tuple(rng.sample(labour, k=min(len(labour), rng.randint(1, 3))))
        out.append(Project(name, d.code, street_code(d, rng.randrange(len(d.streets))),
                           rng.choice(contractors), subs))
    return out


# --- case plans -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing that happened to a case: `kind` is transition / extend / restart / answer / rate."""

    at: datetime
    kind: str
    actor: str  # username; "" for the worker (portal)
    name: str = ""  # transition name
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CasePlan:
    received_at: datetime
    case_type: str
    channel: str
    registered_by: str  # "" for the portal, QR code and monitoring
    complainant: Person
    employer: Employer
    project_name: str
    street_code: str
    workers_count: int
    amount_claimed: Decimal
    description: str
    external_ref: str
    target: str  # the status the case ends in
    track: str
    features: tuple[str, ...]  # collective, cluster, extreme, repeat, overdue, extended, referral...
    steps: tuple[Step, ...]


STATES = ("registered", "accepted", "refused", "assigned", "in_handling", "suspended", "resolved", "follow_up",
          "closed")
STATE_SHARES = {
    "registered": 0.025, "accepted": 0.02, "refused": 0.05, "assigned": 0.025, "in_handling": 0.18,
    "suspended": 0.03, "resolved": 0.04, "follow_up": 0.04, "closed": 0.59,
}
CASE_TYPE_SHARES = {"wage_arrears": 0.55, "labour_dispute": 0.25, "petition": 0.10, "consultation": 0.10}
CHANNEL_SHARES = {"visit": 0.25, "qr": 0.18, "hotline_12345": 0.2, "phone": 0.15, "web": 0.15, "letter": 0.04,
                  "monitoring": 0.03}
TRACK_SHARES = {
    "wage_arrears": {"inspection": 0.55, "mediation": 0.25, "arbitration": 0.1, "referral": 0.1},
    "labour_dispute": {"arbitration": 0.5, "mediation": 0.4, "inspection": 0.05, "referral": 0.05},
    "petition": {"petition": 0.5, "inspection": 0.4, "referral": 0.1},
    "consultation": {"mediation": 0.7, "inspection": 0.2, "referral": 0.1},
}
# Calendar-day length of each track's statutory clock (inspection: 60 working days ≈ 86 days).
TRACK_LIMIT_DAYS = {"mediation": 15, "inspection": 86, "arbitration": 45, "referral": 21, "petition": 60}
HANDLER_FOR_TRACK = {"inspection": "inspector", "petition": "inspector", "referral": "inspector",
                     "mediation": "mediator", "arbitration": "arbitrator"}

TRADES = ("钢筋工", "木工", "泥工", "架子工", "水电工", "油漆工", "杂工", "塔吊司机", "焊工", "砌筑工")
JOBS = {
    "manufacturing": ("车间操作工", "装配工", "质检员"), "electronics": ("流水线普工", "贴片操作员", "仓管员"),
    "garment": ("缝纫工", "熨烫工", "裁剪工"), "food": ("包装工", "生产线普工", "配送员"),
    "catering": ("厨师", "服务员", "洗碗工"), "property": ("保洁员", "保安", "电工"),
    "logistics": ("快递分拣员", "货车司机", "装卸工"), "security": ("保安员", "巡逻队员"),
    "housekeeping": ("育儿嫂", "保洁员", "护工"), "hotel": ("客房服务员", "前台接待", "厨师"),
    "trade": ("销售员", "理货员", "收银员"), "auto": ("汽修工", "洗车工", "销售顾问"),
    "individual": ("帮工", "服务员", "学徒"), "construction": ("施工员", "安全员", "资料员"),
    "labour": ("杂工", "钢筋工", "木工"), "decoration": ("油漆工", "水电工", "泥工"),
}
EXTREME_PHRASES = (
    "如果月底前还不给钱，我们就去项目部门口拉横幅讨说法。",
    "有工友说再拿不到钱就要爬塔吊。",
    "大家情绪很激动，准备去堵路。",
    "再不解决我们就集体去政府门口拉横幅。",
)
DISPUTE_TOPICS = (
    ("未签订书面劳动合同，要求支付二倍工资差额", "labour"),
    ("公司单方面解除劳动合同，要求支付经济补偿金", "termination"),
    ("公司未依法缴纳社会保险，要求补缴", "insurance"),
    ("长期安排加班但未支付加班费", "overtime"),
    ("工作中受伤，已认定工伤，公司拒绝支付工伤待遇", "injury"),
    ("试用期被辞退，工资按低于约定标准发放", "probation"),
)
CONSULT_TOPICS = ("试用期工资标准", "劳动合同到期不续签有无经济补偿", "带薪年休假天数", "长沙市最低工资标准",
                  "工伤认定的流程和材料", "离职后社保如何转移接续", "加班费的计算基数")
SUSPEND_REASONS = ("等待工伤伤残等级鉴定结论", "当事人申请中止，待补充证据材料", "用人单位负责人失联，待公安机关协查",
                   "等待人民法院相关案件审理结果")
REFUSE_REASONS = ("不属于劳动保障监察管辖范围，已告知向人民法院起诉", "超过劳动保障监察时效（两年）",
                  "已进入劳动仲裁程序，告知在仲裁程序中解决", "投诉人撤回投诉", "诉求不明确，经联系投诉人无法补正")
RATING_COMMENTS = {5: "办理及时，工资已全部到账，感谢！", 4: "问题解决了，就是时间有点长。", 3: "基本满意。",
                   2: "钱只拿到一部分，对结果不满意。", 1: "问题根本没有解决。"}


@dataclass
class _Ctx:
    rng: random.Random
    now: datetime
    tz: Any
    is_working_day: Callable[[date], bool]
    employers: list[Employer]
    projects: list[Project]
    district_of: dict[str, District]


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), list(shares.values()))[0]


def _quota(n: int, shares: dict[str, float]) -> list[str]:
    """Exactly n states in the given shares (largest remainder), with at least one of each."""
    raw = {k: max(1.0, v * n) for k, v in shares.items()}
    counts = {k: int(v) for k, v in raw.items()}
    left = n - sum(counts.values())
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True):
        if left <= 0:
            break
        counts[k] += 1
        left -= 1
    while left < 0:  # tiny n: take from the largest
        k = max(counts, key=lambda k: counts[k])
        counts[k] -= 1
        left += 1
    return [k for k in shares for _ in range(counts[k])]


def _staff_time(ctx: _Ctx, t: datetime) -> datetime:
    """Move `t` into office hours (8:30-17:30) on an official working day."""
    local = t.astimezone(ctx.tz)
    d = local.date()
    start = datetime.combine(d, time(8, 30), ctx.tz)
    end = datetime.combine(d, time(17, 30), ctx.tz)
    if ctx.is_working_day(d) and start <= local <= end:
        return local
    if ctx.is_working_day(d) and local < start:
        return start + timedelta(minutes=ctx.rng.randrange(0, 90))
    d += timedelta(days=1)
    while not ctx.is_working_day(d):
        d += timedelta(days=1)
    return datetime.combine(d, time(8, 30), ctx.tz) + timedelta(minutes=ctx.rng.randrange(0, 150))


def _any_time(ctx: _Ctx, t: datetime) -> datetime:
    """Move `t` out of the night: workers file and rate between 7:00 and 23:00."""
    local = t.astimezone(ctx.tz)
    if 7 <= local.hour < 23:
        return local
    return datetime.combine(local.date() + timedelta(days=1 if local.hour >= 23 else 0), time(7), ctx.tz) + \
        timedelta(minutes=ctx.rng.randrange(0, 180))


def _conclusion(rng: random.Random, case_type: str, track: str) -> str:
    if case_type == "consultation":
        return "answered"
    options = {
        "inspection": {"paid_in_full": 0.55, "paid_in_part": 0.15, "order_issued": 0.15, "not_substantiated": 0.1,
                       "withdrawn": 0.05},
        "mediation": {"mediated": 0.6, "paid_in_full": 0.2, "withdrawn": 0.1, "to_court": 0.1},
        "arbitration": {"awarded": 0.55, "mediated": 0.35, "withdrawn": 0.1},
        "referral": {"referred_closed": 0.8, "to_court": 0.2},
        "petition": {"paid_in_full": 0.5, "answered": 0.3, "paid_in_part": 0.2},
    }[track]
    return _pick(rng, options)


def _resolve_params(rng: random.Random, case_type: str, track: str, amount: Decimal, workers: int) -> dict[str, Any]:
    conclusion = _conclusion(rng, case_type, track)
    share = {"paid_in_full": 1.0, "mediated": rng.uniform(0.6, 0.95), "awarded": rng.uniform(0.5, 1.0),
             "paid_in_part": rng.uniform(0.3, 0.8), "order_issued": rng.uniform(0.8, 1.0),
             "referred_closed": rng.uniform(0.0, 1.0)}.get(conclusion, 0.0)
    recovered = (amount * Decimal(str(round(share, 2)))).quantize(Decimal("0.01"))
    benefited = workers if share >= 0.99 else (round(workers * share) if share else 0)
    params: dict[str, Any] = {"conclusion": conclusion, "amount_recovered": recovered, "workers_benefited": benefited}
    if track == "arbitration":
        params.update(_arbitration_result(case_type, conclusion, share, amount, workers))
    return params


# Causes as the arbitration statistics count them (rules.md §6), weighted as bureaus report them.
_CAUSE_WEIGHTS = {"pay": 0.55, "contract": 0.25, "social_insurance": 0.12, "other": 0.08}


def _arbitration_result(case_type: str, conclusion: str, share: float, amount: Decimal, workers: int) -> dict[str, str]:
    """Cause and outcome of a demo arbitration case.

    Drawn from a generator of its own, seeded by the case's figures, so that the demo's main random
    stream (and so every other demo case) stays what it was before these fields existed.
    """
    rng = random.Random(f"{case_type}|{conclusion}|{share:.4f}|{amount}|{workers}")
    cause = "pay" if case_type == "wage_arrears" else _pick(rng, _CAUSE_WEIGHTS)
    if conclusion == "awarded":
        outcome = "worker_won" if share >= 0.95 else ("split" if share >= 0.6 else
                                                      rng.choice(("split", "employer_won")))
    elif conclusion == "mediated":
        outcome = "split"
    else:
        outcome = ""
    return {"dispute_cause": cause, "outcome": outcome}


class _Timeline:
    """Builds a case's steps forward from its receipt, each staff action in office hours."""

    def __init__(self, ctx: _Ctx, start: datetime, scale: float = 1.0) -> None:
        self.ctx, self.t, self.scale = ctx, start, scale
        self.steps: list[Step] = []

    def add(self, gap_days: float, kind: str, actor: str, name: str = "", **params: Any) -> None:
        t = self.t + timedelta(days=gap_days * self.scale)
        t = _any_time(self.ctx, t) if actor == "" else _staff_time(self.ctx, t)
        self.t = t
        self.steps.append(Step(at=t, kind=kind, actor=actor, name=name, params=params))


def _handling_days(rng: random.Random, track: str, quick: bool, late: bool) -> float:
    if quick:
        return rng.uniform(0.2, 2.5) if not late else rng.uniform(4, 10)
    lo, hi = {"mediation": (2, 14), "inspection": (10, 78), "arbitration": (18, 43), "referral": (5, 19),
              "petition": (15, 55)}[track]
    limit = TRACK_LIMIT_DAYS[track]
    return rng.uniform(lo, hi) if not late else rng.uniform(limit + 3, limit + 35)


def _plan_path(ctx: _Ctx, p: dict[str, Any], target: str, start: datetime, scale: float = 1.0) -> tuple[
        list[Step], float, set[str]]:
    """The steps that take a case from registration to `target`, and the dwell (days) it has spent
    in `target` by `now` (for cases planned backwards from `now`)."""
    rng = ctx.rng
    tl = _Timeline(ctx, start, scale)
    feats: set[str] = set()
    slug, track, case_type = p["slug"], p["track"], p["case_type"]
    desk, leader = f"desk_{slug}", p["assigner"]
    handler = p["handler"]
    quick = p["quick"]
    dwell = 0.0
    if target == "registered":
        overdue = rng.random() < 0.3
        return [], (rng.uniform(9, 20) if overdue else rng.uniform(0, 4)), ({"overdue"} if overdue else set())
    if target == "refused":
        tl.add(rng.uniform(0.1, 3), "transition", desk, "refuse", reason=rng.choice(REFUSE_REASONS))
        return tl.steps, rng.uniform(0, 330), feats
    tl.add(rng.uniform(0.05, 2.5), "transition", desk, "accept")
    if target == "accepted":
        return tl.steps, rng.uniform(0, 2.5), feats
    tl.add(rng.uniform(0, 1.5) if quick else rng.uniform(0.1, 2.5), "transition", leader, "assign",
           handler=handler, responsible_leader=p["responsible"])
    if target == "assigned":
        return tl.steps, rng.uniform(0, 3), feats
    start_params: dict[str, Any] = {"track": track}
    if track == "referral":
        start_params["agency"] = p["agency"]
        feats.add("referral")
    tl.add(rng.uniform(0, 1) if quick else rng.uniform(0.1, 3), "transition", handler, "start_handling",
           **start_params)
    limit = TRACK_LIMIT_DAYS[track]

    if target in ("in_handling", "suspended"):
        if target == "suspended":
            tl.add(rng.uniform(2, min(limit * 0.7, 30)), "transition", handler, "suspend",
                   reason=rng.choice(SUSPEND_REASONS))
            return tl.steps, rng.uniform(3, 60), feats | {"suspended"}
        overdue = rng.random() < (0.5 if quick else 0.3)
        if quick:
            dwell = rng.uniform(4, 20) if overdue else rng.uniform(0, 1.5)
        else:
            dwell = rng.uniform(limit + 2, limit + 70) if overdue else rng.uniform(0, limit * 0.85)
        if track == "arbitration" and rng.random() < 0.12 and dwell > 12:
            gap = rng.uniform(4, 10)
            tl.add(gap, "restart", handler, ground=rng.choice(("supplement", "change_claims", "add_party")))
            dwell -= gap
            feats.add("restarted")
        if track in ("arbitration", "inspection") and dwell > limit - 6 and rng.random() < 0.7:
            gap = rng.uniform(limit - 8, limit - 3)
            tl.add(gap, "extend", leader, reason="案情复杂，经批准延长期限" if track == "inspection"
                   else "案情复杂，经仲裁委员会主任书面批准延长十五日")
            dwell -= gap
            feats.add("extended")
            overdue = dwell > limit + (15 if track == "arbitration" else 40)
        if track == "referral" and dwell > 6 and rng.random() < 0.5:
            gap = rng.uniform(3, min(dwell - 1, 14))
            tl.add(gap, "answer", p["partner"], answer="已受理并依法处理，处理结果另行函告。")
            dwell -= gap
        if overdue:
            feats.add("overdue")
        return tl.steps, max(dwell, 0.0), feats

    # The case is handled to resolution (maybe reopened after a bad rating and resolved again).
    late = rng.random() < 0.1
    days = _handling_days(rng, track, quick, late)
    if rng.random() < 0.08 and not quick:
        first = rng.uniform(1, days / 2)
        tl.add(first, "transition", handler, "suspend", reason=rng.choice(SUSPEND_REASONS))
        tl.add(rng.uniform(5, 30), "transition", handler, "resume")
        days -= first
        feats.add("suspended_before")
    if track == "arbitration" and rng.random() < 0.08 and days > 12:
        gap = rng.uniform(4, 10)
        tl.add(gap, "restart", handler, ground=rng.choice(("supplement", "change_claims", "add_party")))
        days -= gap
        feats.add("restarted")
    if track == "arbitration" and days > limit - 3 and rng.random() < 0.8:
        gap = rng.uniform(limit - 8, limit - 3)
        tl.add(gap, "extend", leader, reason="案情复杂，经仲裁委员会主任书面批准延长十五日")
        days = max(days - gap, 1)
        feats.add("extended")
    if track == "referral":
        gap = days * rng.uniform(0.6, 0.9)
        tl.add(gap, "answer", p["partner"], answer="经核查，用人单位已补发工资，现函复贵局。")
        days -= gap
    if late:
        feats.add("late")
    tl.add(days, "transition", handler, "resolve",
           **_resolve_params(rng, case_type, track, p["amount"], p["workers"]))
    if target == "resolved":
        return tl.steps, rng.uniform(0, 6), feats
    if target == "follow_up":
        tl.add(rng.uniform(1, 4), "transition", desk, "start_follow_up")
        return tl.steps, rng.uniform(0, 10), feats
    # closed
    roll = rng.random()
    if roll < 0.06:
        bad = rng.choice((1, 2))
        tl.add(rng.uniform(0.3, 3), "rate", "", satisfaction=bad, comment=RATING_COMMENTS[bad])
        tl.add(rng.uniform(3, 15), "transition", handler, "resolve",
               **_resolve_params(rng, case_type, track, p["amount"], p["workers"]))
        tl.add(rng.uniform(0.5, 4), "rate", "", satisfaction=4, comment=RATING_COMMENTS[4])
        feats.add("reopened")
    elif roll < 0.5:
        sat = rng.choices((5, 4, 3), (0.6, 0.3, 0.1))[0]
        tl.add(rng.uniform(0.2, 3), "rate", "", satisfaction=sat, comment=RATING_COMMENTS[sat])
    else:
        tl.add(rng.uniform(1, 4), "transition", desk, "start_follow_up")
        rated = rng.choices((5, 4, 3, None), (0.5, 0.3, 0.1, 0.1))[0]
        params = {"satisfaction": rated} if rated is not None else {}
        tl.add(rng.uniform(0.5, 5), "transition", desk, "close", **params)
    return tl.steps, rng.uniform(0, 360), feats


def _description(ctx: _Ctx, p: dict[str, Any]) -> str:
    rng = ctx.rng
    emp: Employer = p["employer"]
    amount, workers, months = p["amount"], p["workers"], rng.randint(1, 6)
    case_type = p["case_type"]
    if case_type == "consultation":
        return f"咨询{rng.choice(CONSULT_TOPICS)}。本人在{emp.name}工作，想了解相关规定。"
    if case_type == "labour_dispute":
        topic = rng.choice(DISPUTE_TOPICS)[0]
        job = rng.choice(JOBS.get(emp.industry, ("员工",)))
        return f"本人在{emp.name}任{job}{rng.randint(1, 9)}年，{topic}，涉及金额约{amount}元。"
    if p["project"]:
        trade = rng.choice(TRADES)
        if workers >= 10:
            text = (f"我们{workers}名工友在{p['project']}做{trade}，{emp.name}拖欠{months}个月工资共计{amount}元，"
                    "包工头已联系不上，项目部推说工程款未结算。")
        else:
            text = f"本人在{p['project']}做{trade}，{emp.name}拖欠{months}个月工资{amount}元，多次找项目部讨要未果。"
    else:
        job = rng.choice(JOBS.get(emp.industry, ("员工",)))
        if workers >= 10:
            text = f"{emp.name}拖欠我们{workers}名员工{months}个月工资共{amount}元，公司称资金困难，一直拖着不发。"
        else:
            text = f"本人在{emp.name}做{job}，公司拖欠{months}个月工资{amount}元，离职后一直未结清。"
    if case_type == "petition":
        text = "此前已多次反映未得到解决，现再次来信来访：" + text + "请求有关部门督促处理。"
    if p["extreme"]:
        text += rng.choice(EXTREME_PHRASES)
    return text


def _amount(rng: random.Random, case_type: str, workers: int) -> Decimal:
    if case_type == "consultation":
        return Decimal("0.00")
    per = rng.lognormvariate(9.2, 0.7)  # median ≈ 9,900 yuan a worker
    if case_type == "labour_dispute":
        per *= 1.6
    total = min(per * workers, 5_000_000)
    return Decimal(int(total / 10) * 10).quantize(Decimal("0.01"))


def _case_facts(ctx: _Ctx, *, case_type: str | None = None, employer_idx: int | None = None,
                project: Project | None = None, person: Person | None = None, workers: int | None = None,
                extreme: bool | None = None, track: str | None = None, target: str = "closed",
                channel: str | None = None) -> dict[str, Any]:
    """Everything about a case except its timeline."""
    rng = ctx.rng
    case_type = case_type or _pick(rng, CASE_TYPE_SHARES)
    if project is None and employer_idx is None and case_type == "wage_arrears" and rng.random() < 0.4:
        project = rng.choice(ctx.projects)
    if project is not None and employer_idx is None:
        employer_idx = rng.choice(project.subcontractors) if rng.random() < 0.6 else project.contractor
    if employer_idx is None:
        # A long tail: a few employers draw many complaints, most draw one or two a year.
        employer_idx = min(int(rng.paretovariate(1.1)) - 1, len(ctx.employers) - 1) if rng.random() < 0.35 \
            else rng.randrange(len(ctx.employers))
    emp = ctx.employers[employer_idx]
    if workers is None:
        collective = case_type in ("wage_arrears", "petition") and rng.random() < (0.18 if project else 0.05)
        workers = rng.randint(10, 60) if collective else (rng.randint(2, 6) if rng.random() < 0.12 else 1)
    if extreme is None:
        extreme = case_type in ("wage_arrears", "petition") and rng.random() < 0.03
    amount = _amount(rng, case_type, workers)
    if track is None:
        track = _pick(rng, TRACK_SHARES[case_type])
    # Triage makes a case complex on ≥2万元, 10+ workers or alarming words; a simple wage-arrears
    # clue runs on the 3-day quick-close clock, so it is handled in a day or two.
    quick = (case_type == "wage_arrears" and amount < 20000 and workers < 10 and not extreme
             and track in ("inspection", "mediation"))
    street = project.street_code if project else emp.street_code
    district = ctx.district_of[street[:6]]
    channel = channel or _pick(rng, CHANNEL_SHARES)
    if case_type == "consultation" and channel == "monitoring":
        channel = "phone"
    registered_by = "" if channel in ("web", "qr", "monitoring") else f"desk_{district.slug}"
    red = extreme or workers >= 30
    kind = HANDLER_FOR_TRACK[track]
    # The city leader takes personal charge (包案) of red cases and gives some to city handlers.
    if red:
        assigner = responsible = "city_leader"
        handler = f"city_{kind}" if rng.random() < 0.4 else f"{kind}_{district.slug}"
    else:
        assigner = responsible = f"leader_{district.slug}"
        handler = f"{kind}_{district.slug}"
    agency = ""
    if track == "referral":
        if extreme:
            agency = "police"
        elif project:
            agency = rng.choice(("housing", "housing", "police"))
        elif case_type == "labour_dispute":
            agency = "court"
        else:
            agency = rng.choice(("union", "court", "police"))
    person = person or make_person(rng)
    p: dict[str, Any] = {
        "case_type": case_type, "employer": emp, "project": project.name if project else "", "workers": workers,
        "extreme": extreme, "amount": amount, "track": track, "quick": quick, "street": street,
        "slug": district.slug, "channel": channel, "registered_by": registered_by, "assigner": assigner,
        "responsible": responsible, "handler": handler, "agency": agency,
        "partner": {k: u for k, _, u in AGENCIES}.get(agency, ""), "person": person, "target": target,
    }
    p["description"] = _description(ctx, p)
    p["credit_code"] = emp.credit_code if rng.random() < 0.85 else ""
    return p


def _received_time(ctx: _Ctx, at: datetime, channel: str) -> datetime:
    if channel in ("visit", "phone", "letter"):
        return _staff_time(ctx, at)
    return _any_time(ctx, at)


def _finish(ctx: _Ctx, p: dict[str, Any], received: datetime, steps: list[Step], feats: set[str]) -> CasePlan:
    # Nothing may happen in the future: anything planned past `now` happens just before it.
    latest = ctx.now - timedelta(minutes=10)
    received = min(received, latest - timedelta(minutes=len(steps) + 1))
    fixed: list[Step] = []
    for i, s in enumerate(steps):
        cap = latest - timedelta(minutes=len(steps) - i)
        at = max(s.at, received + timedelta(minutes=i + 1))
        fixed.append(s if at == s.at and s.at <= cap else Step(min(at, cap), s.kind, s.actor, s.name, s.params))
    if p["workers"] >= 10:
        feats.add("collective")
    if p["extreme"]:
        feats.add("extreme")
    ext = ""
    if p["channel"] == "hotline_12345":
        ext = f"12345-{received:%Y%m%d}-{ctx.rng.randrange(10000, 99999)}"
    emp: Employer = p["employer"]
    return CasePlan(
        received_at=received, case_type=p["case_type"], channel=p["channel"], registered_by=p["registered_by"],
        complainant=p["person"], employer=Employer(emp.name, p["credit_code"], emp.address, emp.district_code,
                                                   emp.street_code, emp.industry),
        project_name=p["project"], street_code=p["street"], workers_count=p["workers"], amount_claimed=p["amount"],
        description=p["description"], external_ref=ext, target=p["target"],
        track=p["track"] if p["target"] not in ("registered", "accepted", "refused", "assigned") else "",
        features=tuple(sorted(feats)), steps=tuple(fixed),
    )


_PROBE = datetime(2000, 1, 3, 9, 0)  # a Monday: paths are first laid out from here, then re-timed


def _probe(ctx: _Ctx) -> datetime:
    return _PROBE.replace(tzinfo=ctx.tz)


def _replay(ctx: _Ctx, received: datetime, steps: list[Step], origin: datetime) -> list[Step]:
    """Re-time steps laid out from `origin` so that they start at `received`, keeping each gap and
    moving each staff action into office hours on the real calendar."""
    out: list[Step] = []
    prev, t = origin, received
    for s in steps:
        t = t + (s.at - prev)
        t = _any_time(ctx, t) if s.actor == "" else _staff_time(ctx, t)
        prev = s.at
        out.append(replace(s, at=t))
    return out


def _backwards(ctx: _Ctx, p: dict[str, Any]) -> CasePlan:
    """Plan a case that is in state `target` today: lay out its path, then place it in time so that
    it has spent its dwell time in that state by `now`."""
    origin = _probe(ctx)
    steps, dwell, feats = _plan_path(ctx, p, p["target"], origin)
    span = (steps[-1].at - origin) if steps else timedelta(0)
    # Office hours and holidays stretch a path replayed at its real dates: leave a little room.
    slack = timedelta(days=0.5 + span.days * 0.05) if steps else timedelta(0)
    received = _received_time(ctx, ctx.now - span - slack - timedelta(days=dwell), p["channel"])
    return _finish(ctx, p, received, _replay(ctx, received, steps, origin), feats)


def _forwards(ctx: _Ctx, p: dict[str, Any], received: datetime) -> CasePlan:
    """Plan a case received at a fixed moment (cluster bursts, repeat complaints): its state follows
    from how long ago that was, and its path is squeezed to fit."""
    rng = ctx.rng
    age = (ctx.now - received).total_seconds() / 86400
    if age < 2:
        target = rng.choice(("registered", "accepted", "assigned"))
    elif age < 12:
        target = rng.choices(("assigned", "in_handling", "resolved"), (0.2, 0.65, 0.15))[0]
    elif age < 60:
        target = rng.choices(("in_handling", "follow_up", "closed"), (0.45, 0.15, 0.4))[0]
    else:
        target = rng.choices(("in_handling", "closed"), (0.12, 0.88))[0]
    p["target"] = target
    origin = _probe(ctx)
    steps, _dwell, feats = _plan_path(ctx, p, target, origin)
    span_days = ((steps[-1].at - origin).total_seconds() / 86400) if steps else 0.0
    if steps and span_days > age * 0.8:
        steps, _dwell, feats = _plan_path(ctx, p, target, origin, scale=age * 0.7 / span_days)
    return _finish(ctx, p, received, _replay(ctx, received, steps, origin), feats)


def plan_cases(*, n: int, seed: int, now: datetime, is_working_day: Callable[[date], bool]) -> list[CasePlan]:
    """`n` case plans over the twelve months before `now`, sorted by receipt. Pure: same inputs,
    same plans."""
    rng = random.Random(f"cases:{seed}:{n}")
    employers = make_employers(seed)
    ctx = _Ctx(rng=rng, now=now, tz=timezone.get_default_timezone(), is_working_day=is_working_day,
               employers=employers, projects=make_projects(employers, seed),
               district_of={d.code: d for d in DISTRICTS})
    plans: list[CasePlan] = []

    # Special cases first, so that even a small demo shows every feature.
    # 1. An overdue collective case on the inspection clock (the screenshot's case).
    proj = ctx.projects[0]
    p = _case_facts(ctx, case_type="wage_arrears", project=proj, workers=24, extreme=False, track="inspection",
                    target="in_handling", channel="visit")
    steps, _, feats = _plan_path(ctx, {**p, "quick": False}, "in_handling", _probe(ctx))
    received = _received_time(ctx, now - timedelta(days=130), "visit")
    steps = [s for s in steps if s.kind == "transition"]
    plans.append(_finish(ctx, p, received, _replay(ctx, received, steps, _probe(ctx)), {"overdue", "collective"}))
    # 2. Arbitration in handling with an approved extension.
    p = _case_facts(ctx, case_type="labour_dispute", track="arbitration", target="in_handling", channel="visit")
    tl = _Timeline(ctx, _received_time(ctx, now - timedelta(days=52), "visit"))
    received = tl.t
    slug = p["slug"]
    tl.add(1, "transition", f"desk_{slug}", "accept")
    tl.add(1, "transition", p["assigner"], "assign", handler=p["handler"], responsible_leader=p["responsible"])
    tl.add(0.5, "transition", p["handler"], "start_handling", track="arbitration")
    tl.add(40, "extend", p["assigner"], reason="案情复杂，经仲裁委员会主任书面批准延长十五日")
    plans.append(_finish(ctx, p, received, tl.steps, {"extended"}))
    # 3. A referral answered by the partner agency and closed.
    p = _case_facts(ctx, case_type="wage_arrears", project=ctx.projects[1], track="referral", target="closed")
    steps, _, feats = _plan_path(ctx, {**p, "quick": False}, "closed", _probe(ctx))
    received = _received_time(ctx, now - timedelta(days=90), p["channel"])
    plans.append(_finish(ctx, p, received, _replay(ctx, received, steps, _probe(ctx)), feats))
    # 4. Alarming words in a fresh complaint (triage: red, special attention).
    p = _case_facts(ctx, case_type="wage_arrears", project=ctx.projects[2], workers=12, extreme=True,
                    track="inspection", target="registered", channel="hotline_12345")
    plans.append(_finish(ctx, p, _any_time(ctx, now - timedelta(hours=20)), [], set()))
    specials = len(plans)

    # Cluster bursts: 3-5 workers complain separately about one project within a week.
    bursts = max(1, n // 100)
    burst_cases = 0
    for b in range(bursts):
        proj = ctx.projects[(3 + b * 7) % len(ctx.projects)]
        anchor = now - timedelta(days=3 if b == 0 else rng.uniform(10, 330))
        size = rng.randint(3, 5) if b else 4
        for k in range(size):
            if burst_cases + specials >= n - 2 * len(STATES):
                break
            at = _any_time(ctx, anchor + timedelta(days=k * rng.uniform(0.3, 1.4)))
            at = min(at, now - timedelta(hours=1))
            p = _case_facts(ctx, case_type="wage_arrears", project=proj, workers=rng.choice((1, 1, 2, 4)),
                            extreme=False, channel=rng.choice(("qr", "visit", "hotline_12345")))
            plan = _forwards(ctx, p, at)
            plans.append(CasePlan(**{**plan.__dict__, "features": tuple(sorted({*plan.features, "cluster"}))}))
            burst_cases += 1

    # Repeat complainants: one worker comes back about the same employer two to four times.
    repeaters = max(1, n // 60)
    repeat_cases = 0
    for _ in range(repeaters):
        person = make_person(rng)
        emp_idx = rng.randrange(len(employers))
        first = now - timedelta(days=rng.uniform(60, 340))
        for k in range(rng.randint(2, 4)):
            if specials + burst_cases + repeat_cases >= n - len(STATES):
                break
            at = first + timedelta(days=k * rng.uniform(20, 60))
            if at > now - timedelta(days=1):
                break
            p = _case_facts(ctx, case_type=rng.choice(("wage_arrears", "wage_arrears", "petition")),
                            employer_idx=emp_idx, person=person, extreme=False)
            plan = _forwards(ctx, p, _received_time(ctx, at, p["channel"]))
            plans.append(CasePlan(**{**plan.__dict__, "features": tuple(sorted({*plan.features, "repeat"}))}))
            repeat_cases += 1

    for target in _shuffled(rng, _quota(n - len(plans), STATE_SHARES)):
        p = _case_facts(ctx, target=target)
        plans.append(_backwards(ctx, p))
    plans.sort(key=lambda c: (c.received_at, c.complainant.phone))
    return plans


def _shuffled(rng: random.Random, items: list[str]) -> list[str]:
    items = list(items)
    rng.shuffle(items)
    return items


# --- loading ------------------------------------------------------------------------------------


def demo_state() -> str:
    """'empty', 'loaded' (the demo city is there), or 'other' (someone else's data: leave it)."""
    from hexie.cases.models import Case
    from hexie.orgs.models import OrgUnit, User

    if OrgUnit.objects.filter(code=CITY_CODE).exists() and User.objects.filter(username=DEMO_ADMIN).exists():
        return "loaded"
    if OrgUnit.objects.exists() or Case.objects.exists():
        return "other"
    return "empty"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(width - _width(s), 0)


def demo_users() -> list[tuple[str, str, str]]:
    """(username, role, org unit) of the demo log-ins present in the database, in table order."""
    from hexie.orgs.models import User

    order = [s.username for s in staff_specs()]
    users = {u.username: u for u in User.objects.filter(username__in=order).select_related("org_unit", "agency")}
    rows = []
    for name in order:
        u = users.get(name)
        if u is None:
            continue
        role = ROLE_LABELS.get(u.role, u.role)
        if u.handler_kind:
            role += f"（{KIND_LABELS.get(u.handler_kind, u.handler_kind)}）"
        if u.is_superuser:
            role += "（superuser）"
        unit = u.agency.name if u.agency else (f"{u.org_unit.name} {u.org_unit.code}" if u.org_unit else "")
        rows.append((name, role, unit))
    return rows


def login_table(base_url: str, *, compact: bool = False) -> str:
    """The demo log-ins as text: every user, or (compact) the city users and the district pattern."""
    from rest_framework.authtoken.models import Token

    rows = demo_users()
    if not rows:
        return ""
    lines = [f"演示账号 Demo log-ins — password 密码: {DEMO_PASSWORD}   ({base_url}/accounts/login/)"]
    if compact:
        shown = [r for r in rows if not any(r[0].endswith("_" + d.slug) for d in DISTRICTS)]
        for username, role, unit in shown:
            lines.append(f"  {_pad(username, 18)}{_pad(role, 34)}{unit}")
        slugs = ", ".join(d.slug for d in DISTRICTS)
        lines.append("  per district 各区县: leader_X, desk_X, inspector_X, mediator_X, arbitrator_X, admin_X")
        lines.append(f"    X = {slugs}")
    else:
        lines.append(f"  {_pad('username', 25)}{_pad('role 角色', 40)}org unit 单位")
        for username, role, unit in rows:
            lines.append(f"  {_pad(username, 25)}{_pad(role, 40)}{unit}")
    token = Token.objects.filter(user__username=DEMO_ADMIN).values_list("key", flat=True).first()
    if token:
        lines.append(f"  API token for {DEMO_ADMIN}: {token}   (Authorization: Token {token})")
    return "\n".join(lines)


def _create_city() -> dict[str, Any]:
    from rest_framework.authtoken.models import Token

    from hexie.orgs.models import OrgUnit, PartnerAgency, User

    units: dict[str, OrgUnit] = {}
    for spec in org_tree():
        units[spec.code] = OrgUnit.objects.create(
            code=spec.code, name=spec.name, level=spec.level,
            parent=units[spec.parent_code] if spec.parent_code else None,
        )
    agencies = {kind: PartnerAgency.objects.create(name=name, kind=kind, org_unit=units[CITY_CODE])
                for kind, name, _ in AGENCIES}
    # One hash for every demo user: hashing the same password 60 times would cost half a minute.
    hashed = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    rng = random.Random("staff-phones")
    for s in staff_specs():
        u = User(username=s.username, full_name=s.full_name, role=s.role, handler_kind=s.handler_kind,
                 org_unit=units[s.unit_code], agency=agencies.get(s.agency_kind), password=hashed,
                 email=f"{s.username}@demo.hexie.example", phone=make_mobile(rng),
                 is_superuser=s.is_superuser, is_staff=s.is_superuser)
        u.save()
        users[s.username] = u
    Token.objects.get_or_create(user=users[DEMO_ADMIN])
    return {"units": units, "agencies": agencies, "users": users}


def _execute(plan: CasePlan, city: dict[str, Any]) -> None:
    from hexie.cases import services
    from hexie.cases.models import Deadline, Referral
    from hexie.core import clock

    users, units, agencies = city["users"], city["units"], city["agencies"]
    data = services.IntakeData(
        case_type=plan.case_type, channel=plan.channel, received_at=plan.received_at,
        complainant_name=plan.complainant.name, complainant_phone=plan.complainant.phone,
        complainant_id_number=plan.complainant.id_number, employer_name=plan.employer.name,
        employer_credit_code=plan.employer.credit_code, employer_address=plan.employer.address,
        project_name=plan.project_name, org_unit_id=units[plan.street_code].pk, workers_count=plan.workers_count,
        amount_claimed=plan.amount_claimed, description=plan.description, external_ref=plan.external_ref,
    )
    with clock.at(plan.received_at):
        case = services.register_case(data=data, actor=users.get(plan.registered_by))
    for step in plan.steps:
        actor = users.get(step.actor)
        with clock.at(step.at):
            if step.kind == "transition":
                params = dict(step.params)
                for key in ("handler", "responsible_leader"):
                    if key in params:
                        params[key] = users[params[key]].pk
                if "agency" in params:
                    params["agency"] = agencies[params["agency"]].pk
                case = services.transition(case_id=case.pk, actor=actor, name=step.name, **params)
            elif step.kind == "extend":
                deadline = Deadline.objects.filter(
                    case=case, state=Deadline.State.RUNNING, rule__extension_length__gt=0,
                    rule__trigger="start").order_by("due_on").first()
                if deadline is None:
                    raise RuntimeError(f"demo plan: nothing to extend on {case.number}")
                services.extend_deadline(deadline_id=deadline.pk, actor=actor, reason=step.params["reason"])
            elif step.kind == "restart":
                case = services.restart_clock(case_id=case.pk, actor=actor, ground=step.params["ground"])
            elif step.kind == "answer":
                referral = Referral.objects.filter(case=case).order_by("-referred_at").first()
                if referral is None:
                    raise RuntimeError(f"demo plan: no referral to answer on {case.number}")
                services.answer_referral(referral_id=referral.pk, actor=actor, answer=step.params["answer"])
            elif step.kind == "rate":
                case = services.record_rating(case=case, satisfaction=step.params["satisfaction"],
                                              comment=step.params.get("comment", ""))
            else:
                raise ValueError(step.kind)


def counts_by_status() -> dict[str, int]:
    from hexie.cases.models import Case

    got = dict(Case.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {s: got.get(s, 0) for s in STATES}


def _summary() -> dict[str, Any]:
    from hexie.cases.models import OPEN_STATUSES, Case, Notification, Supervision
    from hexie.orgs.models import OrgUnit, User

    today = timezone.localdate()
    return {
        "cases": Case.objects.count(),
        "by_status": counts_by_status(),
        "overdue": Case.objects.filter(status__in=OPEN_STATUSES, next_due_on__lt=today).count(),
        "collective": Case.objects.filter(is_collective=True).count(),
        "clustered": Case.objects.filter(cluster__isnull=False).count(),
        "red": Case.objects.filter(risk_level="red").count(),
        "repeat": Case.objects.filter(is_repeat=True).count(),
        "org_units": OrgUnit.objects.count(),
        "users": User.objects.count(),
        "supervisions": Supervision.objects.count(),
        "notifications_pending": Notification.objects.filter(state="pending").count(),
    }


def _base_url() -> str:
    import os

    return f"http://{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"


def load_demo(*, cases: int = 1500, seed: int = 2026, now: datetime | None = None, workers: int = 20_000,
              stdout: Writer | None = None) -> dict[str, Any]:
    """Load the demo city once. A database that already has it (or has other data) is left alone."""
    from hexie.cases.models import Notification
    from hexie.cases.sweeps import run_supervision_sweep
    from hexie.core import clock
    from hexie.demo.documents import load_demo_documents
    from hexie.demo.feeds import load_feeds
    from hexie.demo.registry import load_registry
    from hexie.insights.rollup import refresh_rollup
    from hexie.workcal.selectors import get_calendar
    from hexie.workcal.services import seed_from_chinesecalendar

    out = stdout or sys.stdout
    started = time_mod.monotonic()
    seeded = seed_from_chinesecalendar()  # idempotent: 0 once the calendar is there
    state = demo_state()
    if state != "empty":
        if state == "loaded":
            out.write("演示数据已加载，未做任何更改 / The demo city is already loaded; nothing was changed.\n")
        else:
            out.write("数据库中已有其他数据，未加载演示数据 / The database already holds other data; "
                      "the demo city is only loaded into an empty database.\n")
        summary = _summary()
        out.write(_report(summary) + "\n")
        if state == "loaded":
            out.write(login_table(_base_url()) + "\n")
        return {"loaded": False, "state": state, "calendar_rows": seeded, **summary}

    now = (now or timezone.now()).replace(microsecond=0)
    plans = plan_cases(n=cases, seed=seed, now=now, is_working_day=get_calendar().is_working_day)
    planned = time_mod.monotonic()
    with transaction.atomic():
        city = _create_city()
        registry = load_registry(seed=seed, now=now, workers=workers)
        out.write(f"  registry: {registry}\n")
        for i, plan in enumerate(plans, 1):
            _execute(plan, city)
            if i % 250 == 0:
                out.write(f"  {i}/{len(plans)} cases …\n")
                out.flush()
        # The outbox of a year ago was delivered a year ago: only the last day's messages (and
        # what the sweep below writes) are left for the worker to send.
        Notification.objects.filter(state=Notification.State.PENDING,
                                    next_attempt_at__lt=now - timedelta(days=1)).update(
            state=Notification.State.SENT, sent_at=now - timedelta(days=1), attempts=1)
        with clock.at(now):
            sweep = run_supervision_sweep()
    # Three months of attendance, payroll and deposits through the importer (the lake files are
    # written outside the case transaction), then the monitor over those months.
    feeds = load_feeds(now=now, seed=seed)
    out.write(f"  monitoring feeds: {_feeds_line(feeds)}\n")
    # The dashboard reads closed cases from the roll-up the worker keeps; build it now.
    rollup = refresh_rollup(now=now)
    # A few official documents of each kind and last month's city bulletin, as a bureau would have.
    with clock.at(now):
        documents = load_demo_documents()
    out.write(f"  dashboard roll-up: {rollup}; documents and bulletins: {documents}\n")
    elapsed = time_mod.monotonic() - started
    summary = _summary()
    feats = Counter(f for p in plans for f in p.features)
    out.write(f"演示数据已加载 / Demo city loaded: {summary['cases']} cases in {elapsed:.1f} s "
              f"(planning {planned - started:.1f} s), seed {seed}.\n")
    out.write(_report(summary) + "\n")
    out.write(f"  supervision sweep: {sweep}; planned features: {dict(sorted(feats.items()))}\n")
    out.write(login_table(_base_url()) + "\n")
    return {"loaded": True, "state": "loaded", "seconds": round(elapsed, 1), "calendar_rows": seeded,
            "sweep": sweep, **summary}


def _feeds_line(feeds: dict[str, Any]) -> str:
    if not feeds.get("loaded", True):
        return "already loaded"
    keep = ("months", "seconds", "warnings", "cases_opened", "rows")
    return ", ".join(f"{k} {feeds[k]}" for k in keep if k in feeds) or str(feeds)


def _report(summary: dict[str, Any]) -> str:
    states = ", ".join(f"{k} {v}" for k, v in summary["by_status"].items())
    return (f"  cases {summary['cases']}: {states}\n"
            f"  overdue {summary['overdue']}, collective {summary['collective']}, clustered {summary['clustered']}, "
            f"red {summary['red']}, repeat {summary['repeat']}; org units {summary['org_units']}, "
            f"staff {summary['users']}, supervision records {summary['supervisions']}, "
            f"notifications pending {summary['notifications_pending']}")
