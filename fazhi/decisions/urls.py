from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [path("normative-catalogue/", views.catalogue, name="catalogue")]
