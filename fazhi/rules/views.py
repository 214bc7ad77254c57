from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.core.forms import apply_validation_errors
from fazhi.org.models import Unit

from . import services
from .catalogue import national_rules
from .forms import RuleOverrideForm
from .models import RuleOverride
from .selectors import rules_by_area


def rule_list(request):
    on = timezone.localdate()
    if raw := request.GET.get("on"):
        try:
            on = date.fromisoformat(raw)
        except ValueError:
            messages.error(request, f"日期“{raw}”格式不正确，应为 2024-03-01；已按今天显示。")
    unit = request.scope.unit
    overrides = list(
        RuleOverride.objects.filter(unit_id__in=request.scope.visible_ids).select_related("unit")
    )
    names = {r.code: r.name for r in national_rules()}
    for override in overrides:
        override.rule_name = names.get(
            override.rule_code, override.rule_code
        )  # the Chinese name, not the code
    context = {"groups": rules_by_area(unit, on), "on": on, "overrides": overrides}
    return render(request, "rules/rule_list.html", context)


def override_create(request):
    if not request.user.can_manage:
        raise PermissionDenied("只有单位管理员或系统管理员可以调整规则。")
    units = Unit.objects.filter(pk__in=request.scope.visible_ids).exclude(level="village")
    initial = {
        "rule_code": request.GET.get("code"),
        "unit": request.scope.unit,
        "valid_from": timezone.localdate(),
    }
    form = RuleOverrideForm(request.POST or None, unit_queryset=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            override = services.override_save(
                actor=request.user, override=form.save(commit=False), unit_ids=request.scope.visible_ids
            )
        except ValidationError as error:
            apply_validation_errors(form, error)
        else:
            messages.success(request, f"已保存地方规则调整：{override}。")
            return redirect("rules:list")
    return render(request, "core/form.html", {"form": form, "title": "新增地方规则调整"})
