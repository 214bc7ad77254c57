from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("training-hours/", views.training_hours, name="training_hours"),
    path("expiring/", views.expiring, name="expiring"),
]
