"""Word templates: which file a kind uses, rendering it with docxtpl, and checking an uploaded one.

A template may use the variables of its kind's sample context below and nothing else: an
administrator's upload is rendered against it with strict undefined variables before it is
accepted, so a typo is refused in the admin instead of printing a blank in a notice.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import ChainableUndefined, Environment, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import UndefinedError

from hexie.insights.models import DocumentKind, DocumentTemplate

DEFAULT_DIR = Path(__file__).resolve().parent / "doc_templates"
DEFAULT_FILES: dict[str, str] = {
    DocumentKind.ACCEPTANCE_NOTICE: "acceptance_notice.docx",
    DocumentKind.REFUSAL_NOTICE: "refusal_notice.docx",
    DocumentKind.SUPERVISION_LETTER: "supervision_letter.docx",
    DocumentKind.REFERRAL_LETTER: "referral_letter.docx",
    DocumentKind.MEDIATION_AGREEMENT: "mediation_agreement.docx",
    DocumentKind.CONFIRMATION_REQUEST: "confirmation_request.docx",
    DocumentKind.PAYMENT_ORDER_REQUEST: "payment_order_request.docx",
    DocumentKind.BULLETIN_WEEKLY: "bulletin.docx",
    DocumentKind.BULLETIN_MONTHLY: "bulletin.docx",
    DocumentKind.BULLETIN_QUARTERLY: "bulletin.docx",
}
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024

ContextBuilder = Callable[[DocxTemplate], dict[str, Any]]


# --- templates ------------------------------------------------------------------------------


def template_row(kind: str) -> DocumentTemplate:
    """The template row of a kind, created on first use (the data migration normally made it)."""
    row, _created = DocumentTemplate.objects.get_or_create(
        kind=kind, defaults={"name": str(DocumentKind(kind).label).split(" ")[0]}
    )
    return row


def template_source(row: DocumentTemplate) -> tuple[bytes, bool]:
    """The bytes of the template to render and whether they are the packaged default."""
    if row.uses_upload:
        with row.file.open("rb") as f:
            return f.read(), False
    return (DEFAULT_DIR / DEFAULT_FILES[row.kind]).read_bytes(), True


def _env(strict: bool) -> Environment:
    # Autoescape: case text goes into XML, and a "<" or "&" in a description must not break it.
    return Environment(autoescape=True, undefined=StrictUndefined if strict else ChainableUndefined)


def render_docx(source: bytes, build_context: ContextBuilder, *, strict: bool = False) -> bytes:
    """Render a docxtpl template to the bytes of a .docx."""
    tpl = DocxTemplate(io.BytesIO(source))
    tpl.render(build_context(tpl), jinja_env=_env(strict), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# --- checking an administrator's upload ----------------------------------------------------

# A 1×1 PNG: stands in for the charts when a bulletin template is checked.
_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _sample_case() -> dict[str, Any]:
    return {
        "number": "430100-2026-000123", "tracking_code": "ABCD2345", "type": "欠薪", "matter": "拖欠工资",
        "channel": "来访", "received_date": "2026年3月2日", "accepted_date": "2026年3月3日",
        "complainant_name": "张三", "complainant_id": "1101**********1233", "employer_name": "长沙某建筑劳务有限公司",
        "employer_credit_code": "91430100MA4L16JQ9D", "employer_address": "岳麓区麓山南路1号",
        "project_name": "某小区二期", "area": "望岳街道", "workers_count": 12, "amount_claimed": "96,000.00",
        "description": "拖欠三个月工资", "handler": "李四", "responsible_leader": "王五", "track": "劳动保障监察",
        "status": "办理中", "refusal_reason": "", "conclusion": "", "amount_recovered": "0.00",
        "workers_benefited": 0, "attachment_count": 2,
    }


def _sample_doc(title: str) -> dict[str, Any]:
    return {"title": title, "number": "岳人社受〔2026〕12号", "date": "2026年3月3日",
            "issuer": "长沙市岳麓区人力资源和社会保障局", "issuer_unit": "岳麓区"}


def sample_case_context(kind: str) -> dict[str, Any]:
    """Every variable an official document's template may use, with example values."""
    return {
        "doc": _sample_doc(str(DocumentKind(kind).label).split(" ")[0]),
        "case": _sample_case(),
        "basis": "《劳动保障监察条例》第十七条",
        "remedy": "如不服本决定，可以依法申请行政复议或者提起行政诉讼。",
        "deadlines": [{"step": "调查处理", "period": "自立案之日起六十个工作日内", "due": "2026年5月29日",
                       "provisional": False, "basis": "《劳动保障监察条例》第十七条"}],
        "supervision": {"addressee": "岳麓区人力资源和社会保障局（承办人李四）", "kind": "超期督办",
                        "step": "调查处理", "period": "自立案之日起六十个工作日内", "due": "2026年5月29日",
                        "provisional": False, "situation": "截至2026年6月1日已超期3日，尚未办结",
                        "created_date": "2026年6月1日", "reply_by": "2026年6月8日", "leader": "王五"},
        "referral": {"agency": "长沙市公安局岳麓分局", "agency_kind": "公安", "reason": "该案涉嫌拒不支付劳动报酬罪",
                     "note": "", "referred_date": "2026年3月10日", "answer_days": 15},
        "agreement": {"subject": "工资（劳动报酬）", "amount": "8,000.00", "amount_upper": "捌仟元整", "workers": 1,
                      "legal_representative": "赵六", "mediator_body": "长沙市岳麓区劳动人事争议调解中心",
                      "remedy": "被申请人在协议约定期限内不履行的，申请人可以持本调解协议书依法向人民法院申请支付令。"},
        "court": {"name": "长沙市岳麓区人民法院", "agreement_date": "2026年3月10日", "apply_by": "2026年4月9日",
                  "window": "自调解协议生效之日起三十日内", "materials": ["调解协议书", "申请人身份证明"]},
    }


def sample_bulletin_context(tpl: DocxTemplate) -> dict[str, Any]:
    """Every variable a bulletin's template may use, with example values."""
    picture = InlineImage(tpl, io.BytesIO(_PIXEL_PNG), width=Mm(20))
    figure = {"key": "received", "name": "受理量", "value": "120", "last_year": "100", "yoy": "+20.0%"}
    unit_row = {"rank": 1, "name": "岳麓区", "received": 50, "closed": 45, "closure_rate": "90.0%",
                "within_limit_rate": "95.0%", "mediation_rate": "60.0%", "satisfaction": "4.8"}
    return {
        "doc": {"title": "劳动关系工作月度通报", "number": "", "date": "2026年11月1日",
                "issuer": "长沙市人力资源和社会保障局", "issuer_unit": "长沙市"},
        "bulletin": {"title": "劳动关系工作月度通报", "issue": "2026年第10期", "scope": "长沙市",
                     "period": "2026年10月1日至2026年10月31日", "note": "", "summary": "本月共受理120件。",
                     "kind": "月度"},
        "figures": [figure],
        "charts": {"by_unit": picture, "by_unit_caption": "各区县受理量", "by_channel": picture,
                   "trend": picture, "trend_caption": "近12个月受理量走势"},
        "ranking_title": "区县排名",
        "ranking": [unit_row],
        "employers_by_complaints": [{"rank": 1, "name": "长沙某建筑劳务有限公司", "credit_code": "91430100MA4L16JQ9D",
                                     "cases": 5, "workers": 40, "amount": "320,000.00"}],
        "employers_by_warnings": [{"rank": 1, "name": "长沙某建筑劳务有限公司", "credit_code": "91430100MA4L16JQ9D",
                                   "warnings": 3, "red": 1, "open": 2}],
        "warnings": {"summary": "本月新增预警3条。", "months": [202610, 202610],
                     "by_grade": [{"grade": "红", "raised": 1, "about": 2, "about_open": 1, "resolved": 0, "open": 1}]},
        "definitions": [{"name": "受理量", "definition": "统计期内收到的诉求件数。"}],
    }


def _is_bulletin(kind: str) -> bool:
    return kind.startswith("bulletin_")


def check_template(kind: str, source: bytes) -> None:
    """Refuse a file that is not a .docx docxtpl can render with the kind's sample context.

    Raises ValidationError with a bilingual message naming the problem (not a zip, no Word body,
    a Jinja syntax error and its line, an unknown variable).
    """
    if len(source) > MAX_TEMPLATE_BYTES:
        raise ValidationError(gettext("模板文件超过10MB"))
    try:
        with zipfile.ZipFile(io.BytesIO(source)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        raise ValidationError(gettext("不是有效的Word文档（.docx），请用Word另存为.docx后上传")) from None
    if "word/document.xml" not in names:
        raise ValidationError(gettext("文件中没有Word正文（word/document.xml），不是.docx文档"))

    def build(tpl: DocxTemplate) -> dict[str, Any]:
        return sample_bulletin_context(tpl) if _is_bulletin(kind) else sample_case_context(kind)

    try:
        rendered = render_docx(source, build, strict=True)
        Document(io.BytesIO(rendered))
    except TemplateSyntaxError as exc:
        # docxtpl attaches the text of the paragraphs around the error: the only "line" a Word user sees.
        near = "".join(t.strip() for t in getattr(exc, "docx_context", []) if t.strip())[:80]
        raise ValidationError(
            gettext("模板标签有语法错误：%(error)s（附近文字：%(near)s）") % {"error": exc.message, "near": near}
        ) from None
    except UndefinedError as exc:
        raise ValidationError(
            gettext("模板使用了本类文书没有的变量：%(name)s") % {"name": exc.message}
        ) from None
    except TemplateError as exc:
        raise ValidationError(gettext("模板无法生成文书：%(error)s") % {"error": exc}) from None
    except Exception as exc:  # a damaged package: python-docx and lxml raise many kinds
        raise ValidationError(
            gettext("Word文档已损坏或无法解析：%(error)s") % {"error": type(exc).__name__}
        ) from None
