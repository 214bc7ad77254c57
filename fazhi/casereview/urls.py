from django.urls import path

from . import views

app_name = "casereview"
urlpatterns = [path("rubric/", views.rubric, name="rubric")]
