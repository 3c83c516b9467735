"""A catalogue of bad input, as an outsider sends it, and what each must get back.

Most of it is generated from the OpenAPI document, so that a new operation is covered: for every
list, a NUL character in each query parameter, an unknown parameter, ``page`` = 0, -1, "abc" and
past the end, and an empty filter (which means no filter); for every path with an id, an id beyond
64 bits; for every operation with a JSON body, a NUL character in each text field (also sent as a
form where the operation reads forms), a body nested 40 levels deep and a body that is not JSON. Then feed files a clerk uploads: a tiny workbook that
unpacks to gigabytes, Big5 and Shift-JIS text, wrong columns, an empty file, an executable, a
truncated workbook, a Parquet file that is not one.

Each answer must be the documented one: a 4xx in JSON whose message names the field (the query
parameter, the body field, ``page``), or for a file a rejected import whose message says what is
wrong; never a 500. A "leak" is an answer that shows the server's insides (a traceback, a database
error). Used by ``hexie/demo/tests/test_bad_inputs.py`` and by ``bench/hardening.py``.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

#: Words that only an unhandled error would show.
INSIDES = ("Traceback", "psycopg", "sqlite3", "IntegrityError", "DataError", "django.db", 'File "/')

HUGE_ID = "18446744073709551616"  # 2**64


@dataclass
class BadInput:
    """One request and the answer it must get."""

    kind: str  # the line of the figures table it counts in
    name: str
    method: str
    path: str
    query: dict[str, str] | None = None
    body: str | None = None  # raw request body (JSON or not)
    content_type: str = "application/json"
    expect: tuple[int, ...] = (400,)
    field: str | None = None  # the field the answer must name
    upload: tuple[str, str, bytes] | None = None  # (feed, file name, bytes): through the import page
    says: str = ""  # for an upload: what the rejected import's message says


@dataclass
class Outcome:
    case: BadInput
    ok: bool
    leak: bool
    why: str = ""


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()
            if method in ("get", "post", "put", "patch", "delete")]


def _fill(path: str, ids: dict[str, list[str]]) -> str | None:
    """The path with the scene's ids, or None when the scene has no row for it."""
    template = re.sub(r"\{[^}]+\}", "{}", path)
    if "{}" not in template:
        return path
    values = ids.get(template)
    return template.format(*values) if values else None


def _text_fields(op: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    body = content.get("schema", {})
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    return [name for name, prop in body.get("properties", {}).items()
            if prop.get("type") == "string" and not prop.get("readOnly") and "format" not in prop
            and "enum" not in prop]


def catalogue(schema: dict[str, Any], ids: dict[str, list[str]]) -> list[BadInput]:
    """Every bad input for this document; ``ids`` (``fuzz.real_ids``) fills paths with existing rows."""
    cases: list[BadInput] = []
    for path, method, op in _operations(schema):
        filled = _fill(path, ids)
        label = f"{method.upper()} {path}"
        if "{" in path:
            huge = re.sub(r"\{[^}]+\}", HUGE_ID, path)
            cases.append(BadInput("huge ids", f"{label} id 2**64", method, huge, expect=(404,)))
        if filled is None:
            continue
        params = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
        if method == "get" and "page" in params:
            for value in ("0", "-1", "abc", "99999"):
                cases.append(BadInput("paging", f"{label} page={value}", method, filled, {"page": value},
                                      field="page"))
            cases.append(BadInput("unknown parameters", f"{label} ?bogus=1", method, filled, {"bogus": "1"},
                                  field="bogus"))
        for name in params:
            if name == "format":
                continue
            cases.append(BadInput("NUL in query", f"{label} {name}=NUL", method, filled, {name: "a\x00b"},
                                  field=name))
            if method == "get" and name != "page":
                cases.append(BadInput("empty filters", f"{label} {name}=", method, filled, {name: ""},
                                      expect=(200,)))
        if "requestBody" in op and "application/json" in op["requestBody"].get("content", {}):
            for name in _text_fields(op, schema):
                cases.append(BadInput("NUL in body", f"{label} {name}=NUL", method, filled,
                                      body=json.dumps({name: "a\x00b"}), field=name))
            if "application/x-www-form-urlencoded" in op["requestBody"]["content"]:
                for name in _text_fields(op, schema):
                    cases.append(BadInput("NUL in form body", f"{label} {name}=NUL (form)", method, filled,
                                          body=urlencode({name: "a\x00b"}), field=name,
                                          content_type="application/x-www-form-urlencoded"))
            cases.append(BadInput("deep JSON", f"{label} 40 levels", method, filled, body="[" * 40 + "]" * 40))
            cases.append(BadInput("not JSON", f"{label} not JSON", method, filled, body="{\"a\": "))
    cases += files()
    return cases


def _xlsx_bomb() -> bytes:
    """A 2 KB workbook whose one far cell (CV1000000) declares a sheet of a hundred million cells."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><dimension ref="A1:CV1000000"/><sheetData><row r="1"><c r="A1" t="inlineStr">'
             '<is><t>projectCode</t></is></c></row><row r="1000000"><c r="CV1000000" t="inlineStr"><is><t>x</t></is>'
             '</c></row></sheetData></worksheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
                   '.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                   '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def files() -> list[BadInput]:
    """Feed files a clerk might upload by mistake or on purpose."""
    trad = "項目編碼,身份證號,考勤日期,工時\r\nXM-1,430104199001010011,2024-03-01,8\r\n"
    kana = "プロジェクト,身分証番号,日付,時間\r\nXM-1,430104199001010011,2024-03-01,8\r\n"

    def upload(name: str, file_name: str, data: bytes, says: str, feed: str = "attendance") -> BadInput:
        return BadInput("bad files", name, "post", "/monitoring/imports/new/", upload=(feed, file_name, data),
                        says=says)

    return [
        upload("xlsx bomb (cell CV1000000)", "att.xlsx", _xlsx_bomb(), "too large"),
        upload("Big5 CSV", "att.csv", trad.encode("big5"), "Wrong encoding"),
        upload("Shift-JIS CSV", "att.csv", kana.encode("shift_jis"), "Wrong encoding"),
        upload("wrong columns", "att.csv", b"name,phone\r\nzhang,13800000000\r\n", "idCardNumber"),
        upload("payroll columns as attendance", "att.csv",
               b"projectCode,idCardNumber,payMonth,totalPayAmount\r\nXM-1,1,2024-03,1\r\n", "date"),
        upload("header only", "att.csv", b"projectCode,idCardNumber,date,workHours\r\n", ""),
        upload("empty file", "att.csv", b"", "empty"),
        upload("an executable", "att.exe", b"MZ\x90\x00\x03", ".csv"),
        upload("truncated workbook", "att.xlsx", _xlsx_bomb()[:300], ""),
        upload("Parquet that is not", "att.parquet", b"PAR1 not really", ""),
        upload("NUL in a CSV cell", "att.csv", b"projectCode,idCardNumber,date,workHours\r\nXM\x00,1,2024-03-01,8\r\n",
               ""),
    ]


def names_field(answer: Any, field: str) -> bool:
    if isinstance(answer, dict):
        return field in answer or answer.get("field") == field or field in str(answer.get("detail", ""))
    return False


def send(case: BadInput, api: Client, page: Client, import_state: Callable[[int], dict[str, Any]],
         committed: Callable[[], AbstractContextManager[Any]] = nullcontext) -> Outcome:
    """Send one bad input (``api`` holds a token, ``page`` a log-in) and judge its answer; an upload
    is sent inside ``committed()``, which runs what waits for the commit (the import job) in a test."""
    if case.upload:
        with committed():
            response = page.post(case.path, {"feed": case.upload[0],
                                             "file": SimpleUploadedFile(case.upload[1], case.upload[2])})
        return _judge_upload(case, response, import_state)
    if case.method == "get":
        response = api.get(case.path, case.query or {})
    else:
        response = getattr(api, case.method)(_with_query(case.path, case.query), data=case.body or "",
                                             content_type=case.content_type)
    text = response.content.decode(errors="replace")
    leak = response.status_code >= 500 or any(word in text for word in INSIDES)
    if response.status_code not in case.expect:
        return Outcome(case, False, leak, f"answered {response.status_code}: {text[:200]}")
    if "json" not in response.get("Content-Type", ""):
        return Outcome(case, False, leak, f"answered {response.get('Content-Type')}, not JSON")
    if case.field and not names_field(response.json(), case.field):
        return Outcome(case, False, leak, f"the answer does not name {case.field}: {text[:200]}")
    return Outcome(case, True, leak)


def _with_query(path: str, query: dict[str, str] | None) -> str:
    return f"{path}?{urlencode(query)}" if query else path


def _judge_upload(case: BadInput, response: Any, import_state: Callable[[int], dict[str, Any]]) -> Outcome:
    text = response.content.decode(errors="replace")
    leak = response.status_code >= 500 or any(word in text for word in INSIDES)
    if response.status_code == 200:
        # Refused before storing: the form says why, next to the file field.
        ok = "is-invalid" in text or "invalid-feedback" in text or "errorlist" in text
        return Outcome(case, ok, leak, "" if ok else "the form was answered without an error")
    if response.status_code != 302 or "/monitoring/imports/" not in response["Location"]:
        return Outcome(case, False, leak, f"answered {response.status_code}")
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    state = import_state(pk)
    message = json.dumps(state, ensure_ascii=False)
    leak = leak or any(word in message for word in INSIDES)
    if state.get("state") != "rejected":
        return Outcome(case, False, leak, f"the import ended {state.get('state')}")
    if case.says and case.says not in message:
        return Outcome(case, False, leak, f"the message does not say {case.says!r}: {message[:200]}")
    return Outcome(case, True, leak)
