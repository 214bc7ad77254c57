from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("load/", views.load_schedule, name="load"),
    path("deadline/", views.deadline_calculator, name="deadline"),
]
