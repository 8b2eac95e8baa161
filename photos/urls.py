from django.urls import path

from photos import views

app_name = "photos"

urlpatterns = [
    path("<uuid:public_id>/photo/<int:size>.jpg", views.photo, name="photo"),
]
