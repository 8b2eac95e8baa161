from django.urls import path

from custom_fields import views

app_name = "custom_fields"

urlpatterns = [
    path("", views.field_list, name="list"),
    path("new/", views.field_new, name="create"),
    path("<int:pk>/", views.field_edit, name="change"),
    path("<int:pk>/delete/", views.field_delete, name="delete"),
]
