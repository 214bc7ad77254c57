from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/step/<str:step>/", views.plan_step, name="plan_step"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.plan_public, name="plan_public"),
    path("public/<int:pk>/<str:pool>.txt", views.pool_file, name="pool_file"),
]
