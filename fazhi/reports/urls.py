from django.urls import path

from . import annual_views, views

app_name = "reports"
urlpatterns = [
    path("analyze/", views.analysis_list, name="analysis_list"),
    path("analyze/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("analyze/<int:pk>/table.xlsx", views.batch_table, name="batch_table"),
    path("analyze/<int:pk>/delete/", views.batch_delete, name="batch_delete"),
    path("analyze/report/<int:pk>/", views.report_detail, name="report_detail"),
    path("annual/new/", annual_views.annual_new, name="annual_new"),
    path("annual/rollup/", annual_views.annual_rollup, name="annual_rollup"),
    path("annual/<int:pk>/", annual_views.annual_edit, name="annual_edit"),
    path("annual/<int:pk>/measures/", annual_views.annual_adopt, name="annual_adopt"),
    path("annual/<int:pk>/compare/", annual_views.annual_compare, name="annual_compare"),
    path("annual/<int:pk>/restore/<int:number>/", annual_views.annual_restore, name="annual_restore"),
    path("annual/<int:pk>/report.docx", annual_views.annual_docx, name="annual_docx"),
    path("annual/<int:pk>/report.pdf", annual_views.annual_pdf, name="annual_pdf"),
    path("annual/<int:pk>/check/", annual_views.annual_check, name="annual_check"),
]
