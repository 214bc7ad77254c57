"""Two changes to the cases already kept.

**执行 only where something is carried out.** Only an outcome that is carried out has a 执行 step
(``models.EXECUTED_OUTCOMES``: 给予行政处罚, 采取行政强制措施, 责令改正); a case with any other outcome goes
from 送达 to 结案, and the constraint ``case_executed_needs_outcome`` keeps 执行日期 to those outcomes.
Before, every case passed through 执行 to close, so a case decided otherwise (不予处罚, 不予行政许可,
未发现违法行为, 撤销案件 …) may have a 执行日期 that records nothing carried out. ``clear_execution``, run
before the constraint is added, clears it; a case still at 已执行 goes back to 已送达, from which it is
closed, with a step in its timeline saying so. Each changed case says so in its 备注 and its version is
bumped (an edit form opened before is refused).

**公示 of every decision.** Before, only a 行政处罚 case decided with a penalty had a 公示期限. Now every
decision but 撤销案件 has one (``registers.publicity_rule``, 国办发〔2018〕118号). ``settle_publicity``
gives the decided cases without one their 公示期限, 公示情况 and (while open) their next deadline, as
every write derives them. It runs the register's own derivation (``refresh_deadline``: the project's
rules and working days) on the rows of this migration's state: a later migration that changes the tables
those read (rules.RuleOverride, workdays.WorkdaySchedule) runs after this one.
"""

from django.db import migrations, models

EXECUTED_OUTCOMES = ("penalty", "coercive_measure", "correction_ordered")


def clear_execution(apps, schema_editor):
    Case = apps.get_model("enforcement", "EnforcementCase")
    StatusChange = apps.get_model("registers", "StatusChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="enforcement", model="enforcementcase").first()
    wrong = list(Case.objects.filter(executed_on__isnull=False).exclude(outcome__in=EXECUTED_OUTCOMES))
    for case in wrong:
        text = f"【系统升级】处理结果无须执行，已删除执行日期（原为{case.executed_on:%Y年%-m月%-d日}）。"
        if case.status == "executed":
            case.status = "served"
            text += "案件回到“已送达”，请办理结案。"
            steps = StatusChange.objects.filter(content_type=kind, object_id=case.pk).order_by("at", "pk")
            last = steps.last() if kind is not None else None
            if last is not None:  # in the timeline, by whoever took the 执行 step
                StatusChange.objects.create(
                    content_type=kind, object_id=case.pk, from_status="executed", to_status="served",
                    label="系统升级：无须执行", by_id=last.by_id, note=text,
                )  # fmt: skip
        case.executed_on = None
        case.note = f"{case.note}\n{text}" if case.note else text
        case.version += 1
        case.save(update_fields=["executed_on", "status", "note", "version"])


def settle_publicity(apps, schema_editor):
    Case = apps.get_model("enforcement", "EnforcementCase")
    unsettled = list(
        Case.objects.filter(decided_on__isnull=False, publicity_due__isnull=True)
        .exclude(outcome__in=["", "revoked"])
        .select_related("unit")
    )
    if not unsettled:
        return
    from fazhi.enforcement.registers import CASES
    from fazhi.registers.services import DUE_FIELDS, refresh_deadline

    for case in unsettled:
        refresh_deadline(CASES, case)  # as every write derives them: 公示期限, 公示情况, the next deadline
        case.save(update_fields=["major", "publicity_due", "publicity", *DUE_FIELDS])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("discretion", "0001_initial"),
        ("enforcement", "0006_case_outcome_fits_type"),
        ("org", "0004_personal_data_encrypted"),
        ("registers", "0001_initial"),
        ("rules", "0001_initial"),
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(clear_execution, migrations.RunPython.noop),
        migrations.RunPython(settle_publicity, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="enforcementcase",
            constraint=models.CheckConstraint(
                condition=models.Q(executed_on__isnull=True) | models.Q(outcome__in=EXECUTED_OUTCOMES),
                name="case_executed_needs_outcome",
            ),
        ),
    ]
