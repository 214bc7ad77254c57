from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("analyze/", views.analysis_list, name="analysis_list"),
    path("analyze/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("analyze/<int:pk>/table.xlsx", views.batch_table, name="batch_table"),
    path("analyze/<int:pk>/delete/", views.batch_delete, name="batch_delete"),
    path("analyze/report/<int:pk>/", views.report_detail, name="report_detail"),
]
