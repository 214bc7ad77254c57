"""Hand entry of the figures no register counts yet (e.g. 普法宣传活动场次), per unit and year."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.core.forms import year_param

from . import services
from .catalogue import indicators
from .formulas import DEFINITIONS
from .models import ManualValue

MAX_FIGURE = Decimal(10) ** 12  # no county counts a trillion of anything; larger values do not fit


def _number(raw: str, kind, label: str, errors: list[str]):
    if not raw.strip():
        return None
    try:
        number = Decimal(raw.strip())
        if not number.is_finite() or abs(number) >= MAX_FIGURE:
            errors.append(f"“{label}”：“{raw[:20]}”超出可填报的范围")
            return None
        return kind(number)
    except (InvalidOperation, ValueError, OverflowError):
        errors.append(f"“{label}”：“{raw[:20]}”不是数字")
        return None


def manual_entry(request):
    unit = request.scope.unit
    today = timezone.localdate()
    raw = request.GET.get("year") or request.POST.get("year")
    year = year_param(raw, default=today.year, latest=today.year + 1)
    manual = [i for i in indicators().values() if i.id not in DEFINITIONS]
    entries = {
        e.indicator: e for e in ManualValue.objects.filter(unit=unit, year=year).select_related("entered_by")
    }
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.can_edit:
            raise PermissionDenied("只读用户不能填报指标。")
        saved = 0
        for info in manual:
            value = _number(request.POST.get(f"value_{info.id}", ""), Decimal, info.name, errors)
            numerator = _number(request.POST.get(f"num_{info.id}", ""), int, f"{info.name}分子", errors)
            denominator = _number(request.POST.get(f"den_{info.id}", ""), int, f"{info.name}分母", errors)
            note = request.POST.get(f"note_{info.id}", "").strip()[:200]
            if value is None and numerator is None and denominator is None:
                continue
            old = entries.get(info.id)
            if old and (old.value, old.numerator, old.denominator, old.note) == (
                value,
                numerator,
                denominator,
                note,
            ):
                continue
            try:
                services.manual_value_save(
                    actor=request.user,
                    unit=unit,
                    year=year,
                    indicator=info.id,
                    value=value,
                    note=note,
                    numerator=numerator,
                    denominator=denominator,
                    scope_ids=request.scope.unit_ids,
                )
                saved += 1
            except ValidationError as exc:
                errors += exc.messages
        if not errors:
            messages.success(request, f"已保存{saved}项指标。")
            return redirect(f"{request.path}?year={year}")
    rows = [{"info": info, "entry": entries.get(info.id)} for info in manual]
    context = {
        "year": year,
        "years": list(range(today.year, today.year - 6, -1)),
        "rows": rows,
        "errors": errors,
    }
    return render(request, "indicators/manual.html", context)
