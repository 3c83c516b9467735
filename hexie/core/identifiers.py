"""Well-formed identifiers drawn from a random generator: unified social credit codes and resident ID
numbers whose check characters are right (see `hexie.core.validators`).

For demo data and tests, which need identifiers that pass validation without being anyone's. The
caller's `random.Random` is the only source of randomness, so a seeded generator gives the same
identifiers every time.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hexie.core.validators import CREDIT_CODE_CHARS, credit_code_check_char, id_check_char

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code


def _org_code_check(body: str) -> str:
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def make_credit_code(rng: random.Random, division: str, *, individual: bool = False) -> str:
    """A well-formed unified social credit code: 9 1 (enterprise) or 9 2 (individual business), the
    division code, a GB 11714 organisation code ("MA" + 6 characters, as issued since 2015), and the
    GB 32100 check character."""
    body = "MA4" + "".join(rng.choice(CREDIT_CODE_CHARS) for _ in range(5))
    first17 = ("92" if individual else "91") + division + body + _org_code_check(body)
    return first17 + credit_code_check_char(first17)


# Birth-place codes seen on resident ID cards of workers in Changsha: the city's own districts and
# counties (including retired codes, which stay valid on old cards) and Hunan's labour-sending counties.
ID_PLACE_CODES = (
    "430102", "430103", "430104", "430105", "430111", "430121", "430124", "430181",
    "430321", "430381", "430421", "430524", "430626", "430721", "430922", "431021",
    "431121", "431222", "431321", "433122", "360124",
)


def make_id_number(rng: random.Random, male: bool) -> str:
    """An 18-character resident ID number of someone born 1966–2004, with the sex digit and the
    GB 11643 check character right."""
    born = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 365 * 39))
    seq = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{rng.choice(ID_PLACE_CODES)}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)
