"""处理结果 by 案件类型: the outcomes of 行政许可, 行政强制 and 行政检查 cases, and the constraint
``case_outcome_fits_type`` tying each outcome to its type (``models.OUTCOMES_BY_TYPE``).

Before this migration only 行政处罚 outcomes existed, so a decided case of another type had to be given
one. The data step runs before the constraint is added, so the migration never fails on such a row; it
settles each one by what the row itself shows:

- 给予行政处罚 with a fine or a 裁量基准 item is a real penalty decision (an amount and the basis it rests
  on): the 案件类型 is what was wrong, and the case becomes a 行政处罚 case. Its 公示 fields were already
  derived for a penalty outcome and stay as they are.
- Otherwise the type was the clerk's deliberate choice (行政处罚 is the default) and the outcome the forced
  one; it becomes the type's outcome of the same sense: the decision to act (给予) maps to 准予行政许可,
  采取行政强制措施 or, for an inspection, 移送立案查处 (the penalty belongs to the case it was referred to);
  a 不予处罚 to 不予行政许可 or 不采取行政强制措施, and for an inspection 责令改正 where a minor or first
  violation was found (《行政处罚法》第三十三条 still 责令改正/教育) and 未发现违法行为 for 其他情形 (most often
  违法事实不能成立). Such a case owes no 行政处罚 公示, so its 公示期限 and 公示情况 are cleared.

Each changed case says so in its 备注 and its version is bumped (an edit form opened before is refused).
The open deadline (期满日) of a changed case that was still open is recomputed on its next write or the
next deadline refresh (``registers.services.refresh_all_deadlines``); the data step cannot run the rules.
"""

from django.db import migrations, models

PENALTY_OUTCOMES = {
    "penalty": "给予行政处罚",
    "minor": "不予处罚（违法行为轻微并及时改正）",
    "first": "不予处罚（首违不罚）",
    "other": "不予处罚（其他情形）",
}
# (case type, its label) -> the outcome of the same sense for each 行政处罚 outcome, with its label
NEAREST = {
    ("license", "行政许可"): {
        "penalty": ("granted", "准予行政许可"),
        "minor": ("refused", "不予行政许可"),
        "first": ("refused", "不予行政许可"),
        "other": ("refused", "不予行政许可"),
    },
    ("coercion", "行政强制"): {
        "penalty": ("coercive_measure", "采取行政强制措施"),
        "minor": ("no_coercive_measure", "不采取行政强制措施"),
        "first": ("no_coercive_measure", "不采取行政强制措施"),
        "other": ("no_coercive_measure", "不采取行政强制措施"),
    },
    ("inspection", "行政检查"): {
        "penalty": ("referred", "移送立案查处"),
        "minor": ("correction_ordered", "责令改正"),
        "first": ("correction_ordered", "责令改正"),
        "other": ("no_violation", "未发现违法行为"),
    },
}


def _noted(note: str, text: str) -> str:
    return f"{note}\n{text}" if note else text


def settle_outcomes(apps, schema_editor):
    """Give every non-penalty case with a 行政处罚 outcome a type and an outcome that fit (see above)."""
    Case = apps.get_model("enforcement", "EnforcementCase")
    wrong = Case.objects.filter(outcome__in=list(PENALTY_OUTCOMES)).exclude(case_type="penalty")
    for (case_type, type_label), nearest in NEAREST.items():
        for case in wrong.filter(case_type=case_type).iterator():
            fined = case.fine_amount is not None and case.fine_amount > 0
            if case.outcome == "penalty" and (fined or case.discretion_item_id is not None):
                case.case_type = "penalty"
                case.note = _noted(
                    case.note,
                    f"【系统升级】本案原登记为{type_label}案件，处理结果为“给予行政处罚”并有罚没金额或裁量基准，"
                    "已改为行政处罚案件；如有误，请更正案件类型和处理结果。",
                )
                fields = ["case_type", "note", "version"]
            else:
                old = PENALTY_OUTCOMES[case.outcome]
                case.outcome, label = nearest[case.outcome]
                case.publicity_due, case.publicity = None, ""
                case.note = _noted(
                    case.note,
                    f"【系统升级】{type_label}案件的处理结果不能为“{old}”，已改为“{label}”；如有误，请更正。",
                )
                fields = ["outcome", "publicity_due", "publicity", "note", "version"]
            case.version += 1
            case.save(update_fields=fields)


OUTCOME_FIELD = models.CharField(
    blank=True,
    choices=[
        ("penalty", "给予行政处罚"),
        ("minor", "不予处罚（违法行为轻微并及时改正）"),
        ("first", "不予处罚（首违不罚）"),
        ("other", "不予处罚（其他情形）"),
        ("granted", "准予行政许可"),
        ("refused", "不予行政许可"),
        ("coercive_measure", "采取行政强制措施"),
        ("no_coercive_measure", "不采取行政强制措施"),
        ("no_violation", "未发现违法行为"),
        ("correction_ordered", "责令改正"),
        ("referred", "移送立案查处"),
        ("revoked", "撤销案件"),
    ],
    max_length=20,
    verbose_name="处理结果",
)


class Migration(migrations.Migration):
    dependencies = [
        ("discretion", "0001_initial"),
        ("enforcement", "0005_case_publicity"),
        ("org", "0004_personal_data_encrypted"),
    ]

    operations = [
        migrations.AlterField(model_name="enforcementcase", name="outcome", field=OUTCOME_FIELD),
        migrations.AlterField(model_name="historicalenforcementcase", name="outcome", field=OUTCOME_FIELD),
        migrations.RunPython(settle_outcomes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="enforcementcase",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("outcome", ""),
                    models.Q(
                        ("case_type", "penalty"),
                        ("outcome__in", ["penalty", "minor", "first", "other", "revoked"]),
                    ),
                    models.Q(("case_type", "license"), ("outcome__in", ["granted", "refused", "revoked"])),
                    models.Q(
                        ("case_type", "coercion"),
                        ("outcome__in", ["coercive_measure", "no_coercive_measure", "revoked"]),
                    ),
                    models.Q(
                        ("case_type", "inspection"),
                        ("outcome__in", ["no_violation", "correction_ordered", "referred", "revoked"]),
                    ),
                    _connector="OR",
                ),
                name="case_outcome_fits_type",
                violation_error_message="处理结果与案件类型不符。",
            ),
        ),
    ]
