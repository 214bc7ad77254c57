from django.db import migrations


def add_roles(apps, schema_editor):
    from fazhi.org.roles import seed_default_roles

    seed_default_roles(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
