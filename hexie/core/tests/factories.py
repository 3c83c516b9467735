"""Identifiers every app's tests use: a valid resident ID number and a valid unified social credit
code (their check characters verified by ``hexie.core.validators``)."""

from __future__ import annotations

VALID_ID = "110101199003071233"
VALID_CREDIT_CODE = "91430100MA4L16JQ9D"
