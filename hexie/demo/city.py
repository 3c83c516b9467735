"""The demo city's bureau: a Changsha-like org tree (the city, nine districts and their streets),
staff in every role at each level, and the partner agencies that answer referrals.

The specs are pure (the same seed gives the same staff); `create_city` writes them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from rest_framework.authtoken.models import Token

from hexie.demo.people import make_mobile, person_name
from hexie.orgs.models import OrgUnit, PartnerAgency, User

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


def create_city() -> dict[str, Any]:
    """Write the org tree, the partner agencies and the staff (with the admin's API token), and
    return them by code (`units`), kind (`agencies`) and username (`users`)."""
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
