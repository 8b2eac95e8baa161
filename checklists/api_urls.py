"""Public API routes of checklists, under /api/v1/."""

from django.urls import path

from checklists import api

urlpatterns = [
    path("checklists/", api.ChecklistList.as_view(), name="api-checklists"),
    path("checklists/<str:id>/", api.ChecklistDetail.as_view(), name="api-checklist"),
    path("checklist-tasks/", api.TaskList.as_view(), name="api-checklist-tasks"),
    path(
        "checklist-tasks/<str:id>/complete/",
        api.TaskComplete.as_view(),
        name="api-checklist-task-complete",
    ),
]
