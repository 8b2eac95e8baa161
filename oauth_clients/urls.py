from django.urls import path

from oauth_clients import views

app_name = "oauth_clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/secrets/new/", views.secret_add, name="secret-add"),
    path("<int:pk>/federated/new/", views.federated_add, name="federated-add"),
    path(
        "<int:pk>/credentials/<int:credential_pk>/revoke/",
        views.credential_revoke,
        name="credential-revoke",
    ),
    path("<int:pk>/revoke/", views.client_revoke, name="revoke"),
]
