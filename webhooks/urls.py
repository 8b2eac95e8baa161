from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("new/", views.endpoint_create, name="create"),
    path("<uuid:public_id>/", views.endpoint_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.endpoint_edit, name="edit"),
    path("<uuid:public_id>/state/", views.endpoint_state, name="state"),
    path("<uuid:public_id>/secret/", views.endpoint_secret_rotate, name="rotate-secret"),
    path("<uuid:public_id>/delete/", views.endpoint_delete, name="delete"),
    path(
        "<uuid:public_id>/deliveries/<int:delivery_id>/resend/",
        views.delivery_resend,
        name="resend",
    ),
]
