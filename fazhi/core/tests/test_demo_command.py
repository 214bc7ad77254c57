"""`fazhi demo`: a realistic county, the same for the same seed; refused over data without --reset.

In a module of its own: a transactional test must not run while another module's demo_county (an open
transaction holding the demo) is alive in the same worker."""

import pytest

from fazhi.cli import main
from fazhi.core.demo import DemoError, build_demo
from fazhi.core.tests.demo_snapshot import SEED, demo_county
from fazhi.org.models import Person, Unit, UnitLevel


@pytest.mark.django_db(transaction=True)  # --reset flushes the database, as the real command does
def test_demo_county_is_realistic_and_deterministic(capsys):
    demo_county()  # seed 3, built once per test process by build_demo
    first = list(Person.objects.order_by("pk").values_list("name", "id_number")[:50])
    assert main(["demo", "--seed", str(SEED)]) == 2
    assert "--reset" in capsys.readouterr().err
    assert main(["demo", "--seed", str(SEED), "--if-empty"]) == 0

    assert main(["demo", "--seed", str(SEED), "--reset"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "yfzx" in out and "fazhi@2024" in out
    assert list(Person.objects.order_by("pk").values_list("name", "id_number")[:50]) == first
    counts = {level: Unit.objects.filter(level=level).count() for level in UnitLevel.values}
    assert counts["county"] == 1 and counts["township"] == 10 and counts["department"] >= 20
    assert counts["village"] >= 60 and counts["office"] == 10
    assert Person.objects.count() > 500
    from fazhi.reports.models import AnnualReport

    reports = AnnualReport.objects.all()  # the last two years', for the county and its townships
    assert reports.count() == 22 and reports.filter(status="published").exclude(public_url="").exists()
    assert all(r.parts.count() == 5 for r in reports)
    assert all(
        Person.objects.filter(roles__code=code).exists() for code in ("principal", "mediator", "law_literate")
    )


@pytest.mark.django_db
def test_demo_rejects_bad_scale():
    with pytest.raises(DemoError):
        build_demo(scale=0)
