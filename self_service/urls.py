from django.urls import path

from self_service import views

app_name = "self_service"

urlpatterns = [
    path("me/personal-details/", views.personal_details, name="personal-details"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<uuid:public_id>/photo/<int:size>.jpg", views.pending_photo, name="photo"),
    path("approvals/<uuid:public_id>/approve/", views.approve, name="approve"),
    path("approvals/<uuid:public_id>/reject/", views.reject, name="reject"),
    path("settings/self-service/", views.rules, name="settings"),
    # HR changes anyone's photo at once; an employee's own change follows the Photo rule.
    path("employees/<uuid:public_id>/photo/", views.photo_change, name="photo-change"),
]
