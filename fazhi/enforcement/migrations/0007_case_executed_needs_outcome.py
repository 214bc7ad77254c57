"""Only an outcome that is carried out has a 执行 step (``models.EXECUTED_OUTCOMES``: 给予行政处罚,
采取行政强制措施, 责令改正); a case with any other outcome goes from 送达 to 结案, and the constraint
``case_executed_needs_outcome`` keeps 执行日期 to those outcomes.

Before this migration every case passed through 执行 to close, so a case decided otherwise (不予处罚,
不予行政许可, 未发现违法行为, 撤销案件 …) may have a 执行日期 that records nothing carried out. The data step,
run before the constraint is added, clears it; a case still at 已执行 goes back to 已送达, from which it is
closed. Each changed case says so in its 备注 and its version is bumped (an edit form opened before is
refused). Its timeline keeps the 执行 step as it was taken.
"""

from django.db import migrations, models

EXECUTED_OUTCOMES = ("penalty", "coercive_measure", "correction_ordered")


def clear_execution(apps, schema_editor):
    Case = apps.get_model("enforcement", "EnforcementCase")
    for case in Case.objects.filter(executed_on__isnull=False).exclude(outcome__in=EXECUTED_OUTCOMES).iterator():
        text = f"【系统升级】处理结果无须执行，已删除执行日期（原为{case.executed_on:%Y年%-m月%-d日}）。"
        if case.status == "executed":
            case.status = "served"
            text += "案件回到“已送达”，请办理结案。"
        case.executed_on = None
        case.note = f"{case.note}\n{text}" if case.note else text
        case.version += 1
        case.save(update_fields=["executed_on", "status", "note", "version"])


class Migration(migrations.Migration):
    dependencies = [
        ("discretion", "0001_initial"),
        ("enforcement", "0006_case_outcome_fits_type"),
        ("org", "0004_personal_data_encrypted"),
    ]

    operations = [
        migrations.RunPython(clear_execution, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="enforcementcase",
            constraint=models.CheckConstraint(
                condition=models.Q(executed_on__isnull=True) | models.Q(outcome__in=EXECUTED_OUTCOMES),
                name="case_executed_needs_outcome",
            ),
        ),
    ]
