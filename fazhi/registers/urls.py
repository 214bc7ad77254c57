from django.urls import path

from . import views

app_name = "registers"
urlpatterns = [
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<slug:key>/", views.register_list, name="list"),
    path("<slug:key>/new/", views.item_edit, name="create"),
    path("<slug:key>/print/", views.register_print, name="print"),
    path("<slug:key>/export.xlsx", views.register_export, name="export"),
    path("<slug:key>/template.xlsx", views.register_template, name="template"),
    path("<slug:key>/import/", views.register_import, name="import"),
    path("<slug:key>/<int:pk>/", views.item_detail, name="detail"),
    path("<slug:key>/<int:pk>/print/", views.item_print, name="print_detail"),
    path("<slug:key>/<int:pk>/edit/", views.item_edit, name="edit"),
    path("<slug:key>/<int:pk>/step/<str:to>/", views.item_transition, name="transition"),
    path("<slug:key>/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
]
