from django.urls import path

from . import views

app_name = "onsite"
urlpatterns = [
    path("s/<str:token>/", views.scan, name="scan"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/sheet/", views.enterprise_sheet, name="enterprise_sheet"),
    path("sheets/", views.batch_sheets, name="batch_sheets"),
    path("visits/", views.visit_list, name="visit_list"),
    path("flagged/", views.flagged_list, name="flagged_list"),
    path("repeats/", views.repeats, name="repeats"),
    path("quiet/", views.quiet_list, name="quiet_list"),
    path("quiet/<int:pk>/", views.quiet_detail, name="quiet_detail"),
    path("quiet/<int:pk>/delete/", views.quiet_delete, name="quiet_delete"),
]
