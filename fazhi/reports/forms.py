from django import forms

from .analyzer.reading import MAX_BYTES, SUFFIXES
from .services import MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(sorted(SUFFIXES))}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="报告文件",
        help_text="可一次选择多份（txt、docx、doc、wps、有文字层的 pdf、html），每份≤20 MB，最多 50 份。",
        error_messages={"required": "请选择至少一份报告文件。"},
    )
    name = forms.CharField(
        label="批次名称", max_length=100, required=False, help_text="留空则按年度和份数自动命名"
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一次最多上传{MAX_FILES}份报告，本次选择了{len(files)}份。")
        too_big = [f"{f.name}（{f.size // 1024 // 1024} MB）" for f in files if f.size > MAX_BYTES]
        if too_big:  # rejected before the contents are read
            limit = MAX_BYTES // 1024 // 1024
            raise forms.ValidationError(
                f"文件过大，每份不超过 {limit} MB：{'、'.join(too_big)}；本次上传未保存任何报告。"
            )
        return files
