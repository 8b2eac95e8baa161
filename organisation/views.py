"""HR pages for the organisation structure: list, create, edit, merge, archive; the tree."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import hr_admin_required, owner_required
from audit.actor import Actor
from audit.display import history_rows
from audit.models import Channel
from organisation.forms import FORMS, MergeForm, OrganisationSettingsForm
from organisation.kinds import BY_SLUG, KINDS, Kind
from organisation.models import OrgRecord
from organisation.selectors import (
    department_tree,
    org_record_get,
    org_record_list,
    organisation_settings,
)
from organisation.services import (
    org_record_archive,
    org_record_create,
    org_record_merge,
    org_record_restore,
    org_record_update,
    organisation_settings_update,
)

HISTORY_LIMIT = 50
HISTORY_LABELS = {
    "archived": "archived",
    "merged_into": "merged into",
    "aliases": "old names kept",
    "employees": "employees moved",
}


def _kind(slug: str) -> Kind:
    kind = BY_SLUG.get(slug)
    if kind is None:
        raise Http404("No such kind of record.")
    return kind


def _record(kind: Kind, public_id) -> OrgRecord:
    record = org_record_get(kind, public_id)
    if record is None:
        raise Http404(f"No such {kind.singular}.")
    return record


def _actor(request: HttpRequest) -> Actor:
    return Actor(channel=Channel.WEB, user=request.user)


def _apply_errors(form, error: ValidationError) -> None:
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _posted(request: HttpRequest):
    """The submitted data of a POST (even an empty one: an unticked box), else None."""
    return request.POST if request.method == "POST" else None


def _context(kind: Kind, **extra) -> dict:
    return {"kind": kind, "kinds": KINDS, "section": "organisation", **extra}


@hr_admin_required
@require_http_methods(["GET", "HEAD"])
def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    """List one kind's records, current or archived, with headcount."""
    kind_ = _kind(kind)
    archived = request.GET.get("show") == "archived"
    search = request.GET.get("q", "")[:100]
    records = list(org_record_list(kind_, archived=archived, search=search))
    return render(
        request,
        "organisation/list.html",
        _context(kind_, records=records, archived=archived, search=search),
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    """Create a record."""
    kind_ = _kind(kind)
    form = FORMS[kind_.slug](_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record = org_record_create(kind=kind_, actor=_actor(request), **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Added the {kind_.singular} “{record.name}”.")
            return redirect("organisation:detail", kind=kind_.slug, public_id=record.public_id)
    return render(request, "organisation/form.html", _context(kind_, form=form, record=None))


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_detail(request: HttpRequest, kind: str, public_id) -> HttpResponse:
    """Show and edit a record, with its old names and change history."""
    kind_ = _kind(kind)
    record = _record(kind_, public_id)
    form = FORMS[kind_.slug](_posted(request), instance=_record(kind_, public_id))
    if request.method == "POST" and not record.is_archived and form.is_valid():
        try:
            org_record_update(
                kind=kind_, record=record, actor=_actor(request), data=form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Saved the {kind_.singular}.")
            return redirect("organisation:detail", kind=kind_.slug, public_id=record.public_id)
    changes = record.changes.select_related("actor_user", "actor_token")[:HISTORY_LIMIT]
    return render(
        request,
        "organisation/form.html",
        _context(
            kind_,
            form=form,
            record=record,
            headcount=record.employees.filter(deleted_at__isnull=True).count(),
            aliases=list(record.aliases.all()),
            history=history_rows(changes, labels=HISTORY_LABELS),
            history_limit=HISTORY_LIMIT,
        ),
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_merge(request: HttpRequest, kind: str, public_id) -> HttpResponse:
    """Merge a record into another one, after a confirmation."""
    kind_ = _kind(kind)
    record = _record(kind_, public_id)
    form = MergeForm(_posted(request), kind=kind_, source=record)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            org_record_merge(kind=kind_, source=record, target=target, actor=_actor(request))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Merged “{record.name}” into “{target.name}”.")
            return redirect("organisation:detail", kind=kind_.slug, public_id=target.public_id)
    return render(request, "organisation/merge.html", _context(kind_, form=form, record=record))


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_archive(request: HttpRequest, kind: str, public_id) -> HttpResponse:
    """Archive (or restore) a record, after a confirmation."""
    kind_ = _kind(kind)
    record = _record(kind_, public_id)
    error = None
    if request.method == "POST":
        service = org_record_restore if record.is_archived else org_record_archive
        try:
            record = service(kind=kind_, record=record, actor=_actor(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            verb = "Archived" if record.is_archived else "Restored"
            messages.success(request, f"{verb} the {kind_.singular} “{record.name}”.")
            return redirect("organisation:detail", kind=kind_.slug, public_id=record.public_id)
    headcount = record.employees.filter(deleted_at__isnull=True).count()
    return render(
        request,
        "organisation/archive.html",
        _context(kind_, record=record, headcount=headcount, error=error),
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD"])
def department_chart(request: HttpRequest) -> HttpResponse:
    """The department view of the org chart: the tree with each head and headcount."""
    return render(
        request, "organisation/tree.html", {"tree": department_tree(), "section": "org-chart"}
    )


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Owners decide whether provisioning may create records from unknown names."""
    form = OrganisationSettingsForm(_posted(request), instance=organisation_settings())
    if request.method == "POST" and form.is_valid():
        organisation_settings_update(**form.cleaned_data)
        messages.success(request, "Saved the organisation settings.")
        return redirect("organisation:settings")
    return render(request, "organisation/settings.html", {"form": form})
