"""The indicator catalogue (shared/indicators.md): one vocabulary for registers, reports and the analyzer.

Each indicator has a stable id, its Chinese name and unit, and ``cues``: the words a report uses next to
the figure (the analyzer's lexicon). A cue is a regular expression matched against the clause before the
figure. Rates name their numerator and denominator ids. Ids are never renamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    area: str
    cues: re.Pattern[str]
    numerator: str | None = None
    denominator: str | None = None
    also_counted_in: tuple[str, ...] = ()  # measure words reports use besides ``unit`` (咨询 236起)

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"


def _i(
    id: str,
    name: str,
    unit: str,
    cues: str,
    numerator: str | None = None,
    denominator: str | None = None,
    also: str = "",
):
    return (id, name, unit, re.compile(cues), numerator, denominator, tuple(also.split()))


_AREAS: dict[str, list[tuple]] = {
    "党的领导与学法": [
        _i(
            "rol_meetings",
            "研究法治建设工作会议次数",
            "次",
            "研究法治建设|研究.{0,6}法治.{0,6}工作|听取.{0,8}法治建设",
        ),
        _i("study_sessions", "集体学法次数", "次", "集体学习|集体学法|中心组.{0,12}学习|专题学习|会前学法"),
        _i(
            "leader_training_attendance",
            "领导干部法治培训人次",
            "人次",
            "参训领导干部|领导干部.{0,8}(培训|参训)",
        ),
        _i("law_reports_by_principals", "述法人数", "人", "述法"),
        _i("staff_exam_participation_rate", "国家工作人员学法考法参考率", "%", "参考率|参考人数"),
    ],
    "依法决策与规范性文件": [
        _i("legality_reviews", "合法性审查件数", "件", "合法性审查(?!率)|合法性审核(?!率)"),
        _i("legality_review_rate", "合法性审查率", "%", "合法性审查率|合法性审核率"),
        _i("legality_opinions", "审查意见/法律意见数", "份", "审查意见|法律意见|法律顾问意见"),
        _i("agreements_reviewed", "行政协议审查件数", "件", "审查.{0,8}协议|协议.{0,6}审查|合同.{0,4}审查"),
        _i("major_decisions", "重大行政决策事项数", "件", "重大行政决策(事项)?"),
        _i("normative_docs_issued", "规范性文件制发件数", "件", "(制定|制发|出台|印发).{0,6}规范性文件"),
        _i("normative_docs_filed", "规范性文件备案件数", "件", "备案.{0,6}规范性文件|规范性文件.{0,6}备案"),
        _i("normative_filing_rate", "规范性文件报备率", "%", "报备率|备案率"),
        _i("normative_filing_timely_rate", "规范性文件报备及时率", "%", "及时率"),
        _i("normative_docs_cleaned", "规范性文件清理件数", "件", "清理.{0,8}规范性文件|规范性文件.{0,6}清理"),
        _i("powers_listed", "权责清单事项数", "项", "权责清单"),
        _i(
            "powers_delegated",
            "承接赋权事项数",
            "项",
            "赋权|承接.{0,8}(事项|权限)|认领|下放.{0,6}事项",
            also="个",
        ),
        _i("legal_advisor_coverage", "法律顾问覆盖率", "%", "法律顾问.{0,10}覆盖"),
    ],
    "行政执法": [
        _i(
            "enforcement_staff", "行政执法人员数", "人", "(共有|现有).{0,4}行政执法人员|执法人员.{0,4}(共|有)"
        ),
        # not 新增持证 (the year's newly certified are not the staff holding one)
        _i("certified_staff", "持证执法人员数", "人", "取得执法证|持(?<!新增持)证|执法证件"),
        _i("certificates_issued", "换(发)执法证件数", "本", "换\\(?发\\)?证|换发.{0,4}证|发放.{0,4}执法证"),
        _i("certificates_revoked", "收回注销执法证件数", "本", "收回|注销"),
        _i("exam_candidates", "执法资格考试人数", "人", "参加.{0,16}(资格|执法).{0,8}考试"),
        # the 执法资格 exam's (“…参加执法资格考试，合格率81.4%”): named, or a bare 合格率 opening its clause;
        # not one qualified by another exam (法律知识在线考试通过率)
        _i(
            "exam_pass_rate",
            "执法资格考试合格率",
            "%",
            "(执法|资格)[^，,。；;]{0,20}(合格率|通过率)|^(合格率|通过率)",
        ),
        _i("training_hours_compliance_rate", "执法人员培训学时达标率", "%", "学时达标率|培训达标率"),
        _i(
            "enforcement_trainings",
            "执法培训场次",
            "场次",
            "执法.{0,10}培训|培训.{0,4}执法|执法人员.{0,20}学习|法律法规学习",
        ),
        _i("penalty_cases", "行政处罚案件数", "件", "行政处罚案件|处罚案件|作出.{0,4}处罚决定"),
        _i("penalty_publicity_timely_rate", "处罚决定公示及时率", "%", "公示及时率"),
        _i("major_decision_legal_review_rate", "重大执法决定法制审核率", "%", "法制审核率"),
        _i("no_penalty_first_offense", "首违不罚案件数", "件", "首违不罚"),
        _i("no_penalty_minor", "轻微违法免罚/不予处罚件数", "件", "免罚|不予处罚|轻微违法"),
        _i("case_files_reviewed", "案卷评查数", "宗", "评查.{0,6}案卷|案卷评查|评查"),
        # units told to rectify (督促14家单位…整改), not problems rectified (整改问题135个)
        _i(
            "case_review_units_rectifying",
            "案卷评查整改单位数",
            "家",
            "督促[^。；;]{0,12}整改|整改[^。；;]{0,2}单位|单位[^。；;]{0,20}整改",
        ),
        _i("random_inspections", "双随机抽查任务数", "次", "双随机.{0,10}(抽查|检查)"),
        _i("random_inspection_objects", "双随机抽查对象数", "户", "抽查.{0,6}(对象|企业|市场主体)"),
        _i(
            "random_inspection_publicity_timely_rate",
            "抽查结果公示及时率",
            "%",
            "抽查.{0,10}公示.{0,4}及时率",
        ),
    ],
    "行政复议与应诉": [
        _i(
            "reconsideration_received",
            "行政复议收案数",
            "件",
            "(收到|新收|受理|收案).{0,8}行政复议|行政复议.{0,4}(收案|申请)",
        ),
        _i("reconsideration_closed", "行政复议办结数", "件", "^办结|复议.{0,8}办结|审结.{0,4}复议"),
        _i("reconsideration_not_accepted", "复议不予受理数", "件", "不予受理"),
        _i("reconsideration_upheld", "复议维持数", "件", "^维持|决定维持"),
        _i("reconsideration_altered", "复议变更数", "件", "^变更|决定变更"),
        _i("reconsideration_revoked", "复议撤销数", "件", "撤销(?!申请|复议申请)"),
        _i("reconsideration_confirmed_illegal", "复议确认违法数", "件", "确认违法"),
        _i("reconsideration_ordered_performance", "复议责令履行数", "件", "责令履行"),
        _i("reconsideration_dismissed", "复议驳回数", "件", "驳回.{0,8}(复议请求|申请)"),
        _i("reconsideration_withdrawn", "复议撤回/终止数", "件", "撤回|终止"),
        _i("reconsideration_mediated", "复议调解结案数", "件", "调解结案"),
        _i("reconsideration_correction_rate", "复议纠错率", "%", "纠错率"),
        _i(
            "reconsideration_to_litigation",
            "复议后起诉数",
            "件",
            "转为.{0,4}(行政)?诉讼(案件)?|复议后.{0,4}起诉|进入诉讼",
        ),
        _i(
            "reconsideration_litigation_rate",
            "复议后起诉率",
            "%",
            "复议后.{0,2}(起诉|诉讼)率",
            "reconsideration_to_litigation",
            "reconsideration_closed",
        ),
        _i("litigation_cases", "行政应诉案件数", "件", "行政诉讼案件|应诉案件|行政应诉"),
        _i("litigation_concluded", "行政诉讼审结数", "件", "审结|已判决|判决的"),
        _i("litigation_lost", "行政诉讼败诉数", "件", "败诉(?!率)"),
        _i(
            "litigation_loss_rate", "行政诉讼败诉率", "%", "败诉率", "litigation_lost", "litigation_concluded"
        ),
        _i("principal_appearance_rate", "行政机关负责人出庭应诉率", "%", "出庭应诉率|出庭率"),
    ],
    "矛盾纠纷与公共法律服务": [
        _i("disputes_screened", "排查矛盾纠纷数", "件", "排查|摸排"),
        _i("mediation_cases", "调解矛盾纠纷数", "件", "调解.{0,6}(矛盾)?纠纷|调处.{0,6}纠纷"),
        _i("mediation_success", "调解成功数", "件", "调解成功(?!率)|成功化解|化解.{0,6}纠纷|成功调解"),
        _i(
            "mediation_success_rate",
            "调解成功率",
            "%",
            "调解成功率|化解率|成功率",
            "mediation_success",
            "mediation_cases",
        ),
        _i("mediation_closure_rate", "矛盾纠纷办结率", "%", "办结率"),
        _i("mediation_orgs", "人民调解组织数", "个", "人民调解委员会|调解组织|调委会"),
        _i("full_time_mediators", "专职人民调解员数", "名", "专职.{0,4}调解员|配备.{0,4}$"),
        _i("mediation_award_funds", "以奖代补资金", "元", "以奖代补"),
        _i("legal_consultations", "法律咨询人次", "人次", "咨询", also="人 件 起 次"),
        _i(
            "legal_aid_cases",
            "法律援助案件数",
            "件",
            "法律援助案件|援助案件|受理.{0,10}(刑事|民事).{0,10}案件",
        ),
        _i("legal_aid_prereviews", "法律援助初审件数", "件", "初审"),
        _i("losses_recovered", "为受援人挽回经济损失", "元", "挽回.{0,6}损失"),
        _i("notarizations", "公证件数", "件", "公证(?!处)"),
        _i("community_correction_people", "社区矫正对象在册人数", "人", "社区矫正对象|矫正对象.{0,6}在册"),
        _i("resettlement_people", "安置帮教对象在册人数", "人", "安置帮教对象"),
        _i("petitions", "信访件数", "件", "信访件|信访案件|来信来访"),
    ],
    "普法": [
        _i("publicity_events", "普法宣传活动场次", "场次", "宣传活动|普法.{0,10}活动|主题活动"),
        _i("publicity_materials", "发放宣传资料份数", "份", "宣传(材料|资料|单|册|读本)|读本|宣传品"),
        _i("publicity_banners", "悬挂横幅条数", "条", "横幅|标语"),
        _i("publicity_articles", "发布普法信息稿件数", "篇", "稿件|信息.{0,4}篇|发布.{0,10}信息"),
        _i("law_literate_residents", "法律明白人数", "人", "法律明白人|培育"),
        _i("publicity_volunteers", "普法志愿者人数", "名", "普法志愿者|志愿者"),
        _i("rule_of_law_points_redeemed", "法治积分兑换", "分", "积分"),
        _i(
            "rule_of_law_culture_sites",
            "法治文化阵地数",
            "个",
            "法治文化.{0,12}(阵地|广场|长廊|公园)|户外阵地",
        ),
    ],
    "政务服务": [
        _i("online_service_rate", "政务服务事项网上可办率", "%", "网上可办率|网办率"),
        _i("one_thing_packages", "高效办成一件事套餐数", "个", "一件事.{0,4}套餐|套餐"),
        _i("enterprises_visited", "走访企业数", "家", "走访.{0,4}企业"),
        _i("enterprise_legal_checkups", "法治体检企业数", "家", "法治体检"),
    ],
}


@cache
def indicators() -> dict[str, Indicator]:
    """Every catalogue indicator by id."""
    result = {}
    for area, rows in _AREAS.items():
        for id, name, unit, cues, numerator, denominator, also in rows:
            result[id] = Indicator(id, name, unit, area, cues, numerator, denominator, also)
    return result


def indicator(id: str) -> Indicator:
    return indicators()[id]
