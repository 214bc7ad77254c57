from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("otp/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
]
