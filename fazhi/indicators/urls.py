from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [path("manual/", views.manual_entry, name="manual")]
