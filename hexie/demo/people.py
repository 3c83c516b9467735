"""The people of the demo city: Hunan names, mobile numbers and resident ID numbers, drawn from the
caller's random generator."""

from __future__ import annotations

import random
from dataclasses import dataclass

from hexie.core.identifiers import make_id_number

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
