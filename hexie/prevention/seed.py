"""The default score sheets, from shared/domain/rules.md §4–§5 and the bureaus' articles.

The check-up follows the nine inspection items of 劳动保障监察条例 第十一条; the annual verification
reviews the written materials of 第十四条 over what 菏泽 verifies each year (contracts, pay, social
insurance, hours, safety, special groups); the harmonious-enterprise evaluation is the Yunnan
example of rules.md §5 (basic 45 + systems 25 + activities 30, ±4, pass basic ≥ 42 and total ≥ 90);
the industrial-park variant has the seven headings rules.md lists. The articles are the basis; the
points of each item are a bureau's choice, so every sheet is seeded unverified (flagged on screen)
until a bureau checks it against its province's text. These are installation-wide defaults
(no owner unit): a bureau overrides one by adding its own version in the admin or by .xlsx.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

L11 = "劳动保障监察条例 第十一条"
L14 = "劳动保障监察条例 第十四条"
EVAL = "关于推进新时代和谐劳动关系创建活动的意见（2023-01-03）；云南省劳动关系和谐企业评价标准（示例）"
PARK = "关于推进新时代和谐劳动关系创建活动的意见（2023-01-03）；劳动关系和谐工业园区评价标准（示例）"


def _s(code: str, title: str, points: int, items: list[tuple[str, int, str, str]], *, basis: str = "",
       pass_points: int | None = None) -> dict[str, Any]:
    return {"code": code, "title": title, "max_points": Decimal(points), "basis": basis,
            "pass_points": None if pass_points is None else Decimal(pass_points),
            "items": [{"code": f"{code}.{n}", "title": t, "max_points": Decimal(p), "evidence_required": ev,
                       "basis": b or basis, "deduction_rule": "部分符合的，按问题轻重扣分；不符合的，该项不得分。"}
                      for n, (t, p, ev, b) in enumerate(items, start=1)]}


CHECKUP = {
    "code": "checkup", "kind": "checkup", "name": "劳动用工体检表", "total_points": Decimal(100),
    "pass_total": Decimal(80), "legal_basis": L11,
    "note": "九项检查内容依劳动保障监察条例第十一条；分值为默认设置，待核实。",
    "sections": [
        _s("1", "劳动规章制度", 10, [
            ("规章制度经民主程序制定并向劳动者公示", 6, "规章制度文本、职代会或全体职工讨论记录、公示材料", ""),
            ("规章制度内容符合法律法规", 4, "规章制度文本", "劳动合同法 第四条")], basis=f"{L11}（一）"),
        _s("2", "劳动合同", 15, [
            ("依法与全部劳动者订立书面劳动合同", 8, "劳动合同、职工花名册", "劳动合同法 第十条"),
            ("合同条款完备，变更、解除、终止依法办理", 4, "劳动合同、解除终止证明", ""),
            ("建立职工名册", 3, "职工名册", "劳动合同法实施条例 第八条")], basis=f"{L11}（二）"),
        _s("3", "禁止使用童工", 10, [
            ("未招用未满十六周岁的未成年人", 10, "职工身份证明复印件、招工登记", "禁止使用童工规定")],
           basis=f"{L11}（三）"),
        _s("4", "女职工和未成年工特殊劳动保护", 10, [
            ("女职工孕期、产期、哺乳期保护", 5, "女职工名册、休假记录", "女职工劳动保护特别规定"),
            ("未成年工定期健康检查和登记", 5, "未成年工登记、体检记录", "未成年工特殊保护规定")],
           basis=f"{L11}（四）"),
        _s("5", "工作时间和休息休假", 10, [
            ("工作时间符合规定，特殊工时制度经审批", 5, "考勤记录、特殊工时审批", "劳动法 第三十六条"),
            ("依法安排休息休假和带薪年休假", 5, "排班表、休假记录", "职工带薪年休假条例")],
           basis=f"{L11}（五）"),
        _s("6", "工资支付和最低工资", 20, [
            ("按时足额以货币形式支付工资", 10, "工资表、银行代发记录", "劳动法 第五十条"),
            ("工资不低于当地最低工资标准", 5, "工资表", "最低工资规定"),
            ("工资支付台账保存两年以上，加班工资依法支付", 5, "工资支付台账、考勤记录", "工资支付暂行规定")],
           basis=f"{L11}（六）"),
        _s("7", "社会保险", 15, [
            ("依法为全部职工办理社会保险登记和参保", 8, "参保登记、参保人员名单", "社会保险法"),
            ("按规定基数足额缴纳社会保险费", 7, "缴费记录、工资总额", "社会保险费征缴暂行条例")],
           basis=f"{L11}（七）"),
        _s("8", "职业介绍、职业技能培训和职业技能考核鉴定", 5, [
            ("职业介绍、技能培训和考核鉴定符合规定", 5, "培训记录、资质证明", "")], basis=f"{L11}（八）"),
        _s("9", "法律法规规定的其他劳动保障事项", 5, [
            ("其他劳动保障事项", 5, "相关材料", "")], basis=f"{L11}（九）"),
    ],
}

ANNUAL = {
    "code": "annual-verification", "kind": "annual_verification", "name": "企业劳动关系业务年度核验表",
    "total_points": Decimal(100), "pass_total": Decimal(80), "legal_basis": f"{L14}（书面审查）",
    "note": "核验内容据菏泽市年验制度（劳动合同签订、工资发放、社保缴纳、工时制度、职工安全卫生保障、"
            "特殊群体权益保护）；分值为默认设置，待核实。",
    "sections": [
        _s("A", "劳动合同签订", 20, [
            ("劳动合同签订率与职工名册", 12, "职工名册、劳动合同签订情况表", ""),
            ("劳动合同变更、解除、终止材料", 8, "相关书面材料", "")], basis=L14),
        _s("B", "工资发放", 25, [
            ("工资支付台账", 10, "近12个月工资支付台账", ""),
            ("最低工资标准执行", 8, "工资表", ""),
            ("加班工资支付", 7, "考勤与加班工资记录", "")], basis=L14),
        _s("C", "社会保险缴纳", 20, [
            ("参保人数与在册职工一致", 10, "参保人员名单、职工名册", ""),
            ("缴费基数符合规定", 10, "缴费基数申报表", "")], basis=L14),
        _s("D", "工时制度", 10, [("工时制度及特殊工时审批", 10, "工时制度、审批文件", "")], basis=L14),
        _s("E", "职工安全卫生保障", 10, [("劳动安全卫生制度和防护", 10, "安全制度、培训与防护记录", "")], basis=L14),
        _s("F", "特殊群体权益保护", 15, [
            ("女职工权益保护", 5, "女职工名册、专项集体合同", ""),
            ("未成年工保护", 5, "未成年工登记", ""),
            ("未使用童工", 5, "招工登记、身份证明", "")], basis=L14),
    ],
}

EVALUATION = {
    "code": "harmonious-enterprise", "kind": "evaluation", "name": "劳动关系和谐企业评价标准（百分制）",
    "total_points": Decimal(100), "pass_total": Decimal(90), "bonus_cap": Decimal(4), "penalty_cap": Decimal(4),
    "legal_basis": EVAL,
    "note": "基本指标45分、制度建设25分、创建活动30分，加减分各不超过4分；基本指标不低于42分且总分不低于90分为合格"
            "（合格企业可按省规定视同守法诚信A级）。分项分值为默认设置，待核实。",
    "sections": [
        _s("BASIC", "基本指标", 45, [
            ("依法签订劳动合同", 8, "劳动合同、职工名册", ""),
            ("工资按时足额支付，不低于最低工资", 10, "工资表、银行代发记录", ""),
            ("依法参加社会保险并足额缴费", 10, "参保缴费记录", ""),
            ("工作时间和休息休假符合规定", 7, "考勤与休假记录", ""),
            ("劳动安全卫生条件符合规定", 5, "安全制度、检查记录", ""),
            ("近三年无重大劳动保障违法行为和群体性事件", 5, "书面承诺、查询记录", "")],
           basis=EVAL, pass_points=42),
        _s("SYSTEM", "制度建设", 25, [
            ("建立工会组织和职工代表大会制度", 8, "工会成立文件、职代会记录", ""),
            ("签订并履行集体合同、工资专项集体合同", 8, "集体合同及备案", ""),
            ("规章制度经民主程序制定", 5, "规章制度及讨论记录", ""),
            ("建立劳动争议调解组织", 4, "调解委员会文件、调解记录", "")], basis=EVAL),
        _s("ACTIVITY", "创建活动", 30, [
            ("企业文化与人文关怀", 8, "活动记录、照片", ""),
            ("职工培训与职业发展", 8, "培训计划与记录", ""),
            ("民主管理与厂务公开", 8, "厂务公开材料", ""),
            ("创建活动组织与成效", 6, "创建方案、总结", "")], basis=EVAL),
    ],
}

PARK_EVALUATION = {
    "code": "harmonious-park", "kind": "evaluation", "name": "劳动关系和谐工业园区评价标准（园区版）",
    "total_points": Decimal(80), "pass_total": Decimal(72), "legal_basis": PARK,
    "note": "资料列明的七项合计80分（劳动合同8、工资15、社会保险15、集体合同14、劳动规章制度20、工会与职代会6、"
            "创建活动2），其余分项及合格线待按省级文本核实；另一园区标准要求工会组建率≥92%、入会率≥85%、"
            "劳动合同签订率≥97%、备案率≥95%、集体合同签订率≥90%。",
    "sections": [
        _s("P1", "劳动合同", 8, [("园区企业劳动合同签订率≥97%，备案率≥95%", 8, "签订与备案统计", "")], basis=PARK),
        _s("P2", "工资支付", 15, [("园区企业工资按时足额支付", 15, "工资支付情况统计", "")], basis=PARK),
        _s("P3", "社会保险", 15, [("园区企业依法参保缴费", 15, "参保统计", "")], basis=PARK),
        _s("P4", "集体合同", 14, [("集体合同签订率≥90%", 14, "集体合同统计", "")], basis=PARK),
        _s("P5", "劳动规章制度", 20, [("园区企业规章制度健全、程序合法", 20, "抽查记录", "")], basis=PARK),
        _s("P6", "工会与职工代表大会", 6, [("工会组建率≥92%，入会率≥85%，职代会制度健全", 6, "组建与入会统计", "")],
           basis=PARK),
        _s("P7", "创建活动", 2, [("开展和谐劳动关系创建活动", 2, "活动记录", "")], basis=PARK),
    ],
}

SHEETS = [CHECKUP, ANNUAL, EVALUATION, PARK_EVALUATION]
EFFECTIVE_FROM = date(2023, 1, 3)


def seed_sheets(ScoreSheet: Any, SheetSection: Any, SheetItem: Any) -> None:
    """Create the default sheets (version 1, installation-wide) unless they are there already."""
    for spec in SHEETS:
        fields = {k: v for k, v in spec.items() if k != "sections"}
        sheet, created = ScoreSheet.objects.get_or_create(
            code=fields.pop("code"), version=1, owner_unit=None,
            defaults={**fields, "effective_from": EFFECTIVE_FROM, "verified": False})
        if not created:
            continue
        sections: list[dict[str, Any]] = spec["sections"]  # type: ignore[assignment]
        for n, section in enumerate(sections, start=1):
            items = section["items"]
            s = SheetSection.objects.create(sheet=sheet, order=n, **{k: v for k, v in section.items() if k != "items"})
            SheetItem.objects.bulk_create([SheetItem(section=s, order=i, verified=False, **item)
                                           for i, item in enumerate(items, start=1)])
