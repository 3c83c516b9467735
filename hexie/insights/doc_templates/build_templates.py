"""Build the default Word templates (.docx) of the official documents and bulletins.

Run it after changing a layout, and commit the .docx files it writes beside itself:

    .venv/bin/python hexie/insights/doc_templates/build_templates.py

The files are docxtpl templates: Jinja tags ({{ case.number }}, {%p for … %}, {%tr for … %}) that
hexie.insights.document_context and hexie.insights.bulletin_rendering fill in; the variables each
kind may use are listed in hexie/insights/rendering.py (sample_case_context, sample_bulletin_context). The layout follows the national
standard for official documents (GB/T 9704-2012): A4, margins 37/35/28/26 mm, title in 小标宋
二号, body in 仿宋_GB2312 三号, first-level headings in 黑体, Arabic-numeral dates, the issuer
and date on the right with the seal over them. Bureaus replace a template in the admin.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
RED = RGBColor(0xD0, 0x00, 0x00)
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
TABLE_SIZE = 10.5  # 五号
INDENT = "\u3000\u3000"  # two full-width spaces: the first-line indent of Chinese prose


def _fonts(run_or_style: object, name: str) -> None:
    """Set the Latin and the East Asian font; Word picks Chinese glyphs from w:eastAsia."""
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = name
    rpr = run_or_style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def new_document() -> Document:  # type: ignore[valid-type]
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT)
    normal.font.size = Pt(BODY_SIZE)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)  # 固定值28磅: 22 lines a page
    props = doc.core_properties
    props.author = props.last_modified_by = "Hexie"
    props.created = props.modified = datetime(2026, 1, 1)
    props.title = "{{ doc.title }}"
    return doc


def para(doc: object, text: str = "", *, font: str = BODY_FONT, size: float = BODY_SIZE, bold: bool = False,
         align: object = None, color: RGBColor | None = None, space_before: float = 0,
         space_after: float = 0) -> Paragraph:
    p: Paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    if align is not None:
        p.alignment = align  # type: ignore[assignment]
    p.paragraph_format.space_before = Pt(space_before)
    p.paragraph_format.space_after = Pt(space_after)
    if text:
        add_run(p, text, font=font, size=size, bold=bold, color=color)
    return p


def add_run(p: Paragraph, text: str, *, font: str = BODY_FONT, size: float = BODY_SIZE, bold: bool = False,
            color: RGBColor | None = None) -> None:
    run = p.add_run(text)
    _fonts(run, font)
    run.font.size = Pt(size)
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color


def body(doc: object, text: str) -> Paragraph:
    return para(doc, INDENT + text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def red_header(doc: object, issuer_tag: str) -> None:
    """The 版头 of a letter (函): the issuer's name in red, then a red rule."""
    para(doc, issuer_tag, font=TITLE_FONT, size=26, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = para(doc, "", size=6, space_after=12)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "D00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def title(doc: object, text: str) -> None:
    para(doc, text, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=12,
         space_after=6)


def number_line(doc: object, *, right: bool = True) -> None:
    para(doc, "{{ doc.number }}", align=WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.CENTER,
         space_after=12)


def heading(doc: object, text: str) -> None:
    para(doc, INDENT + text, font=HEADING_FONT)


def signature(doc: object, issuer: str = "{{ doc.issuer }}") -> None:
    """Issuer, seal line and date on the right, four lines below the body (GB/T 9704 §7.3.5)."""
    para(doc, "")
    para(doc, "")
    para(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "（盖章）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{{ doc.date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def footnote_line(doc: object, text: str) -> None:
    para(doc, text, font=KAI_FONT, size=12, space_before=12)


def table(doc: object, headers: list[str], cells: list[str], loop: str, *, widths: list[float] | None = None,
          ) -> Table:
    """A table whose data rows come from a Jinja loop: header, {%tr for %}, the row, {%tr endfor %}."""
    t: Table = doc.add_table(rows=4, cols=len(headers))  # type: ignore[attr-defined]
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(headers):
        cell = t.rows[0].cells[i]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(cell.paragraphs[0], text, font=HEADING_FONT, size=TABLE_SIZE)
    add_run(t.rows[1].cells[0].paragraphs[0], "{%tr for " + loop + " %}", size=TABLE_SIZE)
    for i, text in enumerate(cells):
        cell = t.rows[2].cells[i]
        add_run(cell.paragraphs[0], text, size=TABLE_SIZE)
    add_run(t.rows[3].cells[0].paragraphs[0], "{%tr endfor %}", size=TABLE_SIZE)
    if widths:
        for row in t.rows:
            for i, w in enumerate(widths):
                row.cells[i].width = Mm(w)
    return t


# --- the five official documents of a case ---------------------------------------------------


def acceptance_notice() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    title(doc, "受理通知书")
    number_line(doc)
    para(doc, "{{ case.complainant_name }}：")
    body(doc, "你（们）于{{ case.received_date }}向本局反映的{{ case.employer_name }}{{ case.matter }}问题"
              "（案件编号：{{ case.number }}），经审查，符合受理条件。根据{{ basis }}的规定，本局已于"
              "{{ case.accepted_date }}依法受理，并将依法调查处理，处理结果将及时告知你（们）。")
    para(doc, "{%p if deadlines %}")
    body(doc, "本案办理期限如下：")
    para(doc, "{%p for d in deadlines %}")
    # The period in words always; the date beside it says 暂定 when its year's holidays are not yet
    # published (document_context.due_text), so that no notice promises a provisional date as firm.
    body(doc, "{{ d.step }}（依据{{ d.basis }}）：{{ d.period }}，届满日为{{ d.due }}。")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    body(doc, "请保持通讯畅通，并如实提供与本案有关的证据材料。你（们）可凭查询码{{ case.tracking_code }}"
              "查询办理进度。")
    body(doc, "承办人：{{ case.handler }}")
    signature(doc)
    return doc


def refusal_notice() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    title(doc, "不予受理通知书")
    number_line(doc)
    para(doc, "{{ case.complainant_name }}：")
    body(doc, "你（们）于{{ case.received_date }}向本局反映的{{ case.employer_name }}{{ case.matter }}问题"
              "（案件编号：{{ case.number }}），经审查，不符合受理条件。根据{{ basis }}的规定，本局决定不予受理。")
    body(doc, "不予受理的理由：{{ case.refusal_reason }}")
    body(doc, "{{ remedy }}")
    body(doc, "特此通知。")
    signature(doc)
    return doc


def supervision_letter() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    red_header(doc, "{{ doc.issuer }}")
    number_line(doc)
    title(doc, "督办函")
    para(doc, "{{ supervision.addressee }}：")
    body(doc, "你（单位）承办的{{ case.complainant_name }}等{{ case.workers_count }}人反映{{ case.employer_name }}"
              "{{ case.matter }}一案（案件编号：{{ case.number }}，收到时间：{{ case.received_date }}），"
              "“{{ supervision.step }}”环节的办理期限为{{ supervision.period }}，届满日为{{ supervision.due }}"
              "（依据{{ basis }}），"
              "{{ supervision.situation }}。本局于{{ supervision.created_date }}对该案作出{{ supervision.kind }}，"
              "现予督办。")
    body(doc, "请接函后高度重视，由包案领导{{ case.responsible_leader }}同志牵头，督促承办人"
              "{{ case.handler }}同志依法加快办理，于{{ supervision.reply_by }}前将办理结果书面报送本局。"
              "确因特殊情况不能按期办结的，应当说明理由，依法报批延长办理期限。")
    body(doc, "特此函告。")
    signature(doc)
    return doc


def referral_letter() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    red_header(doc, "{{ doc.issuer }}")
    number_line(doc)
    title(doc, "移送函")
    para(doc, "{{ referral.agency }}：")
    body(doc, "本局在办理{{ case.complainant_name }}等{{ case.workers_count }}人反映{{ case.employer_name }}"
              "{{ case.matter }}一案（案件编号：{{ case.number }}）过程中，经审查，{{ referral.reason }}。"
              "根据{{ basis }}的规定，现将该案移送你单位依法处理。")
    body(doc, "案件基本情况：用人单位{{ case.employer_name }}（统一社会信用代码：{{ case.employer_credit_code }}），"
              "{% if case.project_name %}工程项目{{ case.project_name }}，{% endif %}涉及劳动者{{ case.workers_count }}人，"
              "诉求金额{{ case.amount_claimed }}元。诉求内容：{{ case.description }}")
    para(doc, "{%p if referral.note %}")
    body(doc, "移送说明：{{ referral.note }}")
    para(doc, "{%p endif %}")
    body(doc, "请你单位自收到本函之日起{{ referral.answer_days }}个工作日内将处理情况反馈本局。")
    body(doc, "附件：案件材料{{ case.attachment_count }}份")
    body(doc, "联系人：{{ case.handler }}")
    signature(doc)
    return doc


def mediation_agreement() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    title(doc, "调解协议书")
    number_line(doc)
    para(doc, "申请人：{{ case.complainant_name }}，身份证号码：{{ case.complainant_id }}")
    para(doc, "被申请人：{{ case.employer_name }}，统一社会信用代码：{{ case.employer_credit_code }}")
    para(doc, "住所：{{ case.employer_address }}　法定代表人：{{ agreement.legal_representative }}")
    body(doc, "申请人与被申请人因{{ case.matter }}争议（案件编号：{{ case.number }}），于{{ case.received_date }}"
              "申请调解。经{{ agreement.mediator_body }}主持调解，双方当事人在平等自愿的基础上达成如下协议：")
    body(doc, "一、被申请人同意支付申请人{{ agreement.subject }}共计人民币{{ agreement.amount }}元"
              "（大写：{{ agreement.amount_upper }}），涉及劳动者{{ agreement.workers }}人。")
    body(doc, "二、支付方式及期限：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿。")
    body(doc, "三、申请人收到上述款项后，双方就本争议事项再无其他争议。")
    body(doc, "四、本协议书由双方当事人签名或者盖章，经调解员签名并加盖调解组织印章后生效，对双方当事人具有"
              "约束力，当事人应当履行（依据{{ basis }}）。")
    body(doc, "五、{{ agreement.remedy }}")
    body(doc, "六、本协议书一式三份，双方当事人各执一份，调解组织存档一份。")
    para(doc, "")
    para(doc, "申请人（签名）：　　　　　　　　被申请人（盖章）：")
    para(doc, "")
    para(doc, "调解员（签名）：{{ case.handler }}")
    signature(doc, "{{ agreement.mediator_body }}")
    return doc


# --- the court's part of the chain: a party's application, prepared from the case file ------------


def _court_application(doc: object) -> None:
    para(doc, "申请人：{{ case.complainant_name }}，身份证号码：{{ case.complainant_id }}")
    para(doc, "被申请人：{{ case.employer_name }}，统一社会信用代码：{{ case.employer_credit_code }}")
    para(doc, "住所：{{ case.employer_address }}　法定代表人：{{ agreement.legal_representative }}")


def _court_materials(doc: object) -> None:
    body(doc, "附：")
    para(doc, "{%p for m in court.materials %}")
    body(doc, "{{ loop.index }}. {{ m }}")
    para(doc, "{%p endfor %}")
    para(doc, "")
    para(doc, "此致")
    para(doc, "{{ court.name }}")
    para(doc, "")
    para(doc, "申请人（签名）：　　　　　　　　被申请人（盖章）：")
    para(doc, "{{ doc.date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    footnote_line(doc, "本申请书由{{ doc.issuer }}依据案件{{ case.number }}的档案制作（{{ doc.number }}），供当事人提交人民法院。")


def confirmation_request() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    title(doc, "司法确认申请书")
    _court_application(doc)
    heading(doc, "请求事项")
    body(doc, "请求人民法院确认申请人与被申请人于{{ court.agreement_date }}经{{ agreement.mediator_body }}主持达成的"
              "调解协议（案件编号：{{ case.number }}）有效。")
    heading(doc, "事实与理由")
    body(doc, "申请人与被申请人因{{ case.matter }}发生争议，于{{ case.received_date }}申请调解。经调解，双方达成协议："
              "被申请人支付申请人{{ agreement.subject }}共计人民币{{ agreement.amount }}元（大写：{{ agreement.amount_upper }}），"
              "涉及劳动者{{ agreement.workers }}人。该协议系双方自愿达成，内容不违反法律、行政法规的强制性规定，"
              "不损害国家利益、社会公共利益和他人合法权益。")
    body(doc, "根据{{ basis }}的规定，双方当事人共同向人民法院申请司法确认，申请期限为{{ court.window }}"
              "{% if court.apply_by %}（即{{ court.apply_by }}前）{% endif %}。双方承诺所提交材料真实、合法，"
              "出于解决纠纷的目的，不存在恶意串通、规避法律的行为。")
    _court_materials(doc)
    return doc


def payment_order_request() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    title(doc, "支付令申请书")
    _court_application(doc)
    heading(doc, "请求事项")
    body(doc, "请求人民法院向被申请人发出支付令，督促被申请人支付申请人{{ agreement.subject }}人民币"
              "{{ agreement.amount }}元（大写：{{ agreement.amount_upper }}）。")
    heading(doc, "事实与理由")
    body(doc, "申请人与被申请人因{{ case.matter }}争议（案件编号：{{ case.number }}），于{{ court.agreement_date }}经"
              "{{ agreement.mediator_body }}主持达成调解协议，被申请人承诺支付上述款项，但未在协议约定期限内履行。"
              "申请人与被申请人之间没有其他债务纠纷。")
    body(doc, "根据{{ basis }}的规定，申请人持调解协议书向人民法院申请支付令。")
    _court_materials(doc)
    return doc


# --- bulletins -----------------------------------------------------------------------------


def bulletin() -> Document:  # type: ignore[valid-type]
    """Weekly, monthly and quarterly bulletins share one layout; the title says which."""
    doc = new_document()
    red_header(doc, "{{ doc.issuer }}")
    para(doc, "{{ bulletin.issue }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    title(doc, "{{ bulletin.title }}")
    para(doc, "（统计范围：{{ bulletin.scope }}；统计期间：{{ bulletin.period }}）", size=14,
         align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    para(doc, "{%p if bulletin.note %}")
    footnote_line(doc, "说明：{{ bulletin.note }}")
    para(doc, "{%p endif %}")

    heading(doc, "一、总体情况")
    body(doc, "{{ bulletin.summary }}")
    table(doc, ["指标", "本期", "上年同期", "同比"],
          ["{{ f.name }}", "{{ f.value }}", "{{ f.last_year }}", "{{ f.yoy }}"],
          "f in figures", widths=[55, 35, 35, 31])
    footnote_line(doc, "各项指标的统计口径见文末“指标口径”。")

    heading(doc, "二、图表分析")
    para(doc, "{{ charts.by_unit }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "图1　{{ charts.by_unit_caption }}", size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{{ charts.by_channel }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "图2　各渠道受理量", size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{{ charts.trend }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "图3　{{ charts.trend_caption }}", size=12, align=WD_ALIGN_PARAGRAPH.CENTER)

    heading(doc, "三、{{ ranking_title }}")
    body(doc, "按案件量由多到少排列。")
    table(doc, ["排名", "单位", "案件量", "办结量", "办结率", "法定期限内结案率", "调解结案率", "平均满意度"],
          ["{{ r.rank }}", "{{ r.name }}", "{{ r.received }}", "{{ r.closed }}", "{{ r.closure_rate }}",
           "{{ r.within_limit_rate }}", "{{ r.mediation_rate }}", "{{ r.satisfaction }}"],
          "r in ranking", widths=[12, 34, 18, 18, 18, 20, 20, 16])

    heading(doc, "四、重点关注用人单位")
    body(doc, "（一）本期投诉最多的用人单位（前10名）")
    table(doc, ["序号", "用人单位", "统一社会信用代码", "投诉件数", "涉及人数", "诉求金额（元）"],
          ["{{ e.rank }}", "{{ e.name }}", "{{ e.credit_code }}", "{{ e.cases }}", "{{ e.workers }}",
           "{{ e.amount }}"],
          "e in employers_by_complaints", widths=[12, 50, 40, 18, 18, 26])
    body(doc, "（二）本期监测预警最多的用人单位（前10名）")
    table(doc, ["序号", "用人单位", "统一社会信用代码", "预警数", "红色预警", "未消除"],
          ["{{ e.rank }}", "{{ e.name }}", "{{ e.credit_code }}", "{{ e.warnings }}", "{{ e.red }}",
           "{{ e.open }}"],
          "e in employers_by_warnings", widths=[12, 50, 40, 18, 18, 18])

    heading(doc, "五、监测预警情况")
    body(doc, "{{ warnings.summary }}")
    table(doc, ["预警等级", "本期发现", "所属本期", "其中未消除", "本期消除", "期末未消除"],
          ["{{ w.grade }}", "{{ w.raised }}", "{{ w.about if warnings.months else '—' }}",
           "{{ w.about_open if warnings.months else '—' }}", "{{ w.resolved }}", "{{ w.open }}"],
          "w in warnings.by_grade", widths=[30, 25, 25, 26, 25, 25])

    heading(doc, "附：指标口径")
    table(doc, ["指标", "统计口径"], ["{{ d.name }}", "{{ d.definition }}"], "d in definitions",
          widths=[40, 116])
    signature(doc)
    return doc


def rectification_order() -> Document:  # type: ignore[valid-type]
    """责令限期整改指令书 for the failed items of a check-up or annual verification (hexie.prevention)."""
    doc = new_document()
    title(doc, "责令限期整改指令书")
    number_line(doc)
    para(doc, "{{ order.employer_name }}：")
    body(doc, "本局于{{ order.assessed_date }}依据《{{ order.sheet }}》对你单位进行了{{ order.kind }}，"
              "发现你单位存在下列问题：")
    para(doc, "{%p for line in order.findings %}")
    body(doc, "{{ line }}")
    para(doc, "{%p endfor %}")
    body(doc, "根据{{ order.basis }}的规定，现责令你单位自本指令书下达之日起{{ order.working_days }}个工作日内，"
              "即于{{ order.deadline }}前整改完毕，并将整改情况及证明材料报送本局。逾期未整改的，本局将依法立案查处。")
    body(doc, "统一社会信用代码：{{ order.credit_code }}")
    signature(doc)
    return doc


def listing_notice() -> Document:  # type: ignore[valid-type]
    """拟列入失信联合惩戒对象名单告知书 (hexie.credit): reasons, basis, the right to state a case."""
    doc = new_document()
    title(doc, "拟列入拖欠农民工工资失信联合惩戒对象名单告知书")
    number_line(doc)
    para(doc, "{{ listing.employer_name }}：")
    body(doc, "经查，你单位存在下列情形：{{ listing.reasons }}")
    para(doc, "{%p for c in listing.conditions %}")
    body(doc, "{{ c.condition }}：{{ c.text }}")
    para(doc, "{%p endfor %}")
    body(doc, "依据{{ listing.basis }}的规定，本局拟将你单位及下列人员列入拖欠农民工工资失信联合惩戒对象名单：")
    para(doc, "{%p for p in listing.persons %}")
    body(doc, "{{ p.role }}：{{ p.name }}")
    para(doc, "{%p endfor %}")
    body(doc, "你单位如有异议，有权陈述和申辩，请于{{ listing.statement_due }}前向本局书面提出，并附相关证明材料。"
              "逾期未提出的，视为放弃陈述和申辩的权利。")
    body(doc, "统一社会信用代码：{{ listing.credit_code }}")
    signature(doc)
    return doc


def listing_decision() -> Document:  # type: ignore[valid-type]
    """列入失信联合惩戒对象名单决定书 (hexie.credit)."""
    doc = new_document()
    title(doc, "列入拖欠农民工工资失信联合惩戒对象名单决定书")
    number_line(doc)
    para(doc, "{{ listing.employer_name }}：")
    body(doc, "本局于{{ listing.notified }}向你单位送达了告知书。{{ listing.statement_text }}")
    body(doc, "经审查，{{ listing.decision_reason }}。依据{{ listing.basis }}的规定，决定将你单位及下列人员列入"
              "拖欠农民工工资失信联合惩戒对象名单，列入期限自{{ listing.decided }}起至{{ listing.expires }}止：")
    para(doc, "{%p for p in listing.persons %}")
    body(doc, "{{ p.role }}：{{ p.name }}（{{ p.id_masked }}）")
    para(doc, "{%p endfor %}")
    body(doc, "列入期间，你单位将依照《保障农民工工资支付条例》第四十八条的规定受到联合惩戒。你单位自本决定作出之日起"
              "按期足额清偿拖欠工资、纠正失信行为满{{ listing.removal_months }}个月并作出信用修复承诺的，可以申请提前移出。")
    body(doc, "如不服本决定，可依法申请行政复议或者提起行政诉讼。")
    signature(doc)
    return doc


def credit_publication() -> Document:  # type: ignore[valid-type]
    """The quarterly publication (重大劳动保障违法行为社会公布 or 劳动关系和谐企业名单) of hexie.credit."""
    doc = new_document()
    title(doc, "{{ pub.title }}")
    number_line(doc)
    body(doc, "依据{{ pub.basis }}，现将{{ pub.period }}{{ pub.what }}予以公布：")
    table(doc, ["单位名称", "统一社会信用代码", "地址", "法定代表人", "{{ pub.facts_header }}", "{{ pub.handling_header }}"],
          ["{{ e.name }}", "{{ e.credit_code }}", "{{ e.address }}", "{{ e.legal_rep }}", "{{ e.facts }}",
           "{{ e.handling }}"], "e in pub.entries", widths=[30, 30, 25, 18, 40, 30])
    signature(doc)
    return doc


BUILDERS = {
    "acceptance_notice.docx": acceptance_notice,
    "refusal_notice.docx": refusal_notice,
    "supervision_letter.docx": supervision_letter,
    "referral_letter.docx": referral_letter,
    "mediation_agreement.docx": mediation_agreement,
    "confirmation_request.docx": confirmation_request,
    "payment_order_request.docx": payment_order_request,
    "bulletin.docx": bulletin,
    "rectification_order.docx": rectification_order,
    "listing_notice.docx": listing_notice,
    "listing_decision.docx": listing_decision,
    "credit_publication.docx": credit_publication,
}


def main(out_dir: Path = HERE) -> list[Path]:
    written = []
    for name, build in BUILDERS.items():
        path = out_dir / name
        build().save(str(path))  # type: ignore[attr-defined]
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
