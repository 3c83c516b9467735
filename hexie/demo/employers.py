"""The demo city's employers and construction projects as specs, with no database: ~300 employers
with valid unified social credit codes spread over the districts, and ~40 projects, each with a
general contractor and one to three labour subcontractors.

`registry.load_registry` writes them into the registry; case plans complain about them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hexie.core.identifiers import make_credit_code
from hexie.demo.city import CITY_NAME, DISTRICTS, street_code
from hexie.demo.people import SURNAMES


@dataclass(frozen=True)
class EmployerSpec:
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


def make_employers(seed: int = 2026, n: int = 300) -> list[EmployerSpec]:
    """`n` employers with unique names and valid credit codes, spread over the districts."""
    rng = random.Random(f"employers:{seed}")
    weights = [d.weight for d in DISTRICTS]
    kinds = [k for k, _, _ in _INDUSTRIES]
    shares = [s for _, _, s in _INDUSTRIES]
    suffix = {k: s for k, s, _ in _INDUSTRIES}
    out: list[EmployerSpec] = []
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
        out.append(EmployerSpec(name, code, address, d.code, street_code(d, si), industry))
    return out


@dataclass(frozen=True)
class ProjectSpec:
    name: str
    district_code: str
    street_code: str
    contractor: int  # index into the employer list (general contractor)
    subcontractors: tuple[int, ...]  # labour subcontractors


_PROJECT_KINDS = ("安置房", "安置房", "公租房", "保障性住房", "棚户区改造", "中学新建", "小学改扩建", "人民医院门诊综合楼",
                  "道路提质改造", "综合管廊", "产业园标准厂房", "商业综合体", "污水处理厂提标改造", "人才公寓")
_SECTIONS = ("一", "二", "三", "四", "五")


def make_projects(employers: list[EmployerSpec], seed: int = 2026, n: int = 40) -> list[ProjectSpec]:
    """`n` construction projects ("梅溪湖安置房项目三标段"), each with a general contractor from the
    construction companies and one to three labour subcontractors."""
    rng = random.Random(f"projects:{seed}")
    contractors = [i for i, e in enumerate(employers) if e.industry in ("construction", "decoration")]
    labour = [i for i, e in enumerate(employers) if e.industry == "labour"]
    growth = {"430104": 3, "430111": 3, "430103": 2, "430121": 3, "430112": 2, "430105": 2}
    weights = [growth.get(d.code, 1) for d in DISTRICTS]
    out: list[ProjectSpec] = []
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
        out.append(ProjectSpec(name, d.code, street_code(d, rng.randrange(len(d.streets))),
                               rng.choice(contractors), subs))
    return out
