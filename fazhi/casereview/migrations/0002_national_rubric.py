"""The national default rubric (fazhi/casereview/rubric_data.py) as RubricItem rows without a unit."""

from django.db import migrations


def load(apps, schema_editor):
    from fazhi.casereview.rubric_data import seed_national_rubric

    seed_national_rubric(apps.get_model("casereview", "RubricItem"))


def unload(apps, schema_editor):
    apps.get_model("casereview", "RubricItem").objects.filter(unit__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("casereview", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
