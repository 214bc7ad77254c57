from django.db import migrations


def add_roles(apps, schema_editor):
    from fazhi.org.roles import DEFAULT_ROLES

    Role = apps.get_model("org", "Role")
    for order, (code, name, description) in enumerate(DEFAULT_ROLES):
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
