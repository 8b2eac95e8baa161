from django.urls import path

from checklists import views

app_name = "checklists"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("my-tasks/", views.my_tasks_page, name="my-tasks"),
    path("tasks/<uuid:public_id>/complete/", views.task_complete, name="task-complete"),
    path("templates/", views.templates_page, name="templates"),
    path("templates/new/", views.template_new, name="template-new"),
    path("templates/<uuid:public_id>/", views.template_detail, name="template"),
    path("templates/<uuid:public_id>/tasks/new/", views.template_task, name="task-new"),
    path("templates/<uuid:public_id>/tasks/<int:task_id>/", views.template_task, name="task-edit"),
    path(
        "templates/<uuid:public_id>/tasks/<int:task_id>/remove/",
        views.template_task_remove,
        name="task-remove",
    ),
    path("employee/<uuid:public_id>/", views.employee_checklists_page, name="employee"),
    path("<uuid:public_id>/", views.checklist_detail, name="detail"),
    path("<uuid:public_id>/cancel/", views.checklist_cancel_view, name="cancel"),
]
