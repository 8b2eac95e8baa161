"""Checklist pages: my tasks, a checklist, an employee's checklists, the HR overview, and
templates. Thin: read through checklists.selectors, write through checklists.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import hr_admin_required, signed_in_required
from accounts.roles import is_hr_admin
from alexis.service_errors import add_service_errors
from audit.actor import Actor
from audit.models import Channel
from checklists.forms import CancelForm, OverviewFilterForm, TemplateForm, TemplateTaskForm
from checklists.models import ChecklistTask, TemplateTask
from checklists.selectors import (
    checklist_can_view,
    checklist_get,
    checklist_overview,
    checklist_tasks,
    employee_checklists,
    my_tasks,
    task_can_complete,
    template_get,
    template_list,
    with_overdue_counts,
)
from checklists.services import (
    checklist_cancel,
    checklist_task_complete,
    checklist_template_create,
    checklist_template_update,
    template_task_delete,
    template_task_save,
)
from employees.selectors import employee_get

OVERVIEW_PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Actor:
    return Actor(channel=Channel.WEB, user=request.user)


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    add_service_errors(form, error)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@signed_in_required
@require_http_methods(["GET", "HEAD"])
def my_tasks_page(request: HttpRequest) -> HttpResponse:
    """Everyone's open tasks across checklists, due soonest first."""
    tasks, total = my_tasks(user=request.user)
    return render(
        request,
        "checklists/my_tasks.html",
        {"tasks": tasks, "total": total, "today": timezone.localdate()},
    )


@signed_in_required
@require_POST
def task_complete(request: HttpRequest, public_id) -> HttpResponse:
    """Tick a task done, then go back to where it was ticked."""
    task = ChecklistTask.objects.select_related("checklist").filter(public_id=public_id).first()
    if task is None:
        raise Http404("No such task.")
    if not task_can_complete(user=request.user, task=task):
        raise PermissionDenied("This task is not yours to complete.")
    try:
        checklist_task_complete(task=task, actor=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Done: “{task.title}”.")
    if request.POST.get("next") == "checklist":
        return redirect("checklists:detail", public_id=task.checklist.public_id)
    return redirect("checklists:my-tasks")


@signed_in_required
@require_http_methods(["GET", "HEAD"])
def checklist_detail(request: HttpRequest, public_id) -> HttpResponse:
    """A checklist with its tasks and progress."""
    checklist = checklist_get(public_id=public_id)
    if checklist is None or not checklist_can_view(user=request.user, checklist=checklist):
        raise Http404("No such checklist.")
    tasks = checklist_tasks(checklist)
    for task in tasks:
        task.can_complete = task.is_open and task_can_complete(user=request.user, task=task)
    return render(
        request,
        "checklists/detail.html",
        {
            "checklist": checklist,
            "tasks": tasks,
            "today": timezone.localdate(),
            "is_hr": is_hr_admin(request.user),
        },
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def checklist_cancel_view(request: HttpRequest, public_id) -> HttpResponse:
    """Cancel a running checklist with a reason (after a confirmation page)."""
    checklist = checklist_get(public_id=public_id)
    if checklist is None:
        raise Http404("No such checklist.")
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            checklist_cancel(
                checklist=checklist, reason=form.cleaned_data["reason"], actor=_actor(request)
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Cancelled “{checklist.name}” for {checklist.employee}.")
            return redirect("checklists:detail", public_id=checklist.public_id)
    return render(request, "checklists/cancel.html", {"checklist": checklist, "form": form})


@hr_admin_required
@require_http_methods(["GET", "HEAD"])
def employee_checklists_page(request: HttpRequest, public_id) -> HttpResponse:
    """One employee's checklists, running and past, with progress."""
    employee = employee_get(public_id=public_id, include_deleted=True)
    if employee is None:
        raise Http404("No such employee.")
    return render(
        request,
        "checklists/employee.html",
        {"employee": employee, "checklists": employee_checklists(employee=employee)},
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD"])
def overview(request: HttpRequest) -> HttpResponse:
    """Every running checklist, earliest date first, with overdue tasks counted."""
    form = OverviewFilterForm(request.GET or None)
    kind, overdue_only = "", False
    if form.is_valid():
        kind, overdue_only = form.cleaned_data["kind"], form.cleaned_data["overdue"]
    checklists = checklist_overview(kind=kind, overdue_only=overdue_only)
    page = Paginator(checklists, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_overdue_counts(list(page.object_list))
    return render(
        request, "checklists/overview.html", {"form": form, "page": page, "checklists": page}
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD"])
def templates_page(request: HttpRequest) -> HttpResponse:
    """The checklist templates."""
    return render(request, "checklists/templates.html", {"templates": list(template_list())})


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_new(request: HttpRequest) -> HttpResponse:
    """Add a template; its tasks are added on its page."""
    form = TemplateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            template = checklist_template_create(actor=_actor(request), **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Added the template “{template.name}”. Now add its tasks.")
            return redirect("checklists:template", public_id=template.public_id)
    return render(request, "checklists/template_form.html", {"form": form, "template": None})


def _template_or_404(public_id):
    template = template_get(public_id=public_id)
    if template is None:
        raise Http404("No such template.")
    return template


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_detail(request: HttpRequest, public_id) -> HttpResponse:
    """Edit a template and list its tasks, with a form to add one."""
    template = _template_or_404(public_id)
    form = TemplateForm(_posted(request), instance=_template_or_404(public_id))
    if request.method == "POST" and form.is_valid():
        try:
            checklist_template_update(
                template=template, actor=_actor(request), data=form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Saved. Checklists already running keep their tasks.")
            return redirect("checklists:template", public_id=template.public_id)
    tasks = list(template.tasks.select_related("assignee_employee", "assignee_team"))
    return render(
        request,
        "checklists/template_form.html",
        {"form": form, "template": template, "tasks": tasks, "task_form": TemplateTaskForm()},
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_task(request: HttpRequest, public_id, task_id: int | None = None) -> HttpResponse:
    """Add a task to a template, or edit one."""
    template = _template_or_404(public_id)
    task = None
    if task_id is not None:
        task = TemplateTask.objects.filter(template=template, pk=task_id).first()
        if task is None:
            raise Http404("No such task.")
    form = TemplateTaskForm(_posted(request), instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            template_task_save(
                template=template,
                actor=_actor(request),
                task=TemplateTask.objects.get(pk=task.pk) if task else None,
                **form.service_fields(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Saved the task “{form.cleaned_data['title']}”.")
            return redirect("checklists:template", public_id=template.public_id)
    return render(
        request, "checklists/task_form.html", {"form": form, "template": template, "task": task}
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_task_remove(request: HttpRequest, public_id, task_id: int) -> HttpResponse:
    """Remove a task from a template (after a confirmation page)."""
    template = _template_or_404(public_id)
    task = TemplateTask.objects.filter(template=template, pk=task_id).first()
    if task is None:
        raise Http404("No such task.")
    if request.method == "POST":
        template_task_delete(task=task, actor=_actor(request))
        messages.success(request, f"Removed the task “{task.title}”.")
        return redirect("checklists:template", public_id=template.public_id)
    return render(request, "checklists/task_remove.html", {"template": template, "task": task})
