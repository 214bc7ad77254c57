from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from . import services
from .models import RubricItem


class RubricItemForm(forms.ModelForm):
    class Meta:
        model = RubricItem
        fields = ["number", "category", "text", "veto", "points", "source"]


def rubric(request):
    """The 评查标准 in force for the chosen unit (national default and its county's own items); an
    editor adds or replaces an item for the chosen unit."""
    unit = request.scope.unit
    form = RubricItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rubric_item_add(
                unit=unit, actor=request.user, scope_ids=request.scope.unit_ids, **form.cleaned_data
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "已保存本单位的评查项目。")
            return redirect("casereview:rubric")
    context = {"unit": unit, "items": services.rubric_for(unit).values(), "form": form}
    return render(request, "casereview/rubric.html", context)
