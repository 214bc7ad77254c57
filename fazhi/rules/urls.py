from django.urls import path

from . import views

app_name = "rules"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("overrides/new/", views.override_create, name="override_create"),
]
