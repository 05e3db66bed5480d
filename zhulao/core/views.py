"""Workbench, audit log and error pages."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhulao.core import audit, forms, redaction, selectors
from zhulao.core.actions import Action
from zhulao.core.http import AuthedHttpRequest
from zhulao.core.querysets import require_action


def workbench(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.WORKBENCH_VIEW)
    home = selectors.home_for(request.user)
    if home:
        return redirect(home)
    context = {
        "todos": selectors.workbench_todos(user=request.user),
        "done": selectors.workbench_done(user=request.user),
    }
    return render(request, "core/workbench.html", context)


def audit_list(request: AuthedHttpRequest) -> HttpResponse:
    scope = require_action(request.user, Action.AUDIT_VIEW)
    form = forms.AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.audit_list(scope=scope, **filters), 50).get_page(request.GET.get("page"))
    for event in page:
        event.changes = audit.shown_changes(event.changes)  # display only: never saved
    template = "core/_audit_rows.html" if request.htmx and not request.htmx.boosted else "core/audit_list.html"
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def audit_detail(request: AuthedHttpRequest, seq: int) -> HttpResponse:
    """One audit event with its raw values (codes, the JSON changes): 403 without the audit role, 404 out of scope."""
    scope = require_action(request.user, Action.AUDIT_VIEW)
    event = selectors.get_audit_event(scope=scope, seq=seq)
    event.changes = audit.shown_changes(event.changes)  # display only (today's masking rule): never saved
    changes = event.changes if isinstance(event.changes, dict) else {}
    rows = [(name, v if isinstance(v, list) else [None, v]) for name, v in sorted(changes.items())]
    context = {
        "event": event,
        "changes": rows,
        "changes_json": json.dumps(event.changes, ensure_ascii=False, indent=2, sort_keys=True),
    }
    return render(request, "core/audit_detail.html", context)


@require_POST
def audit_verify(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.AUDIT_VERIFY)
    report = audit.verify_chain()
    epoch_problems = redaction.verify_epochs() if report.ok else []
    audit.record_event(
        actor=request.user,
        action="audit.verify",
        object_type="core.auditevent",
        outcome="success" if report.ok and not epoch_problems else "failure",
        reason=report.problem or "; ".join(epoch_problems),
    )
    context = {"report": report, "epoch_problems": epoch_problems, "epochs": redaction.epochs()}
    return render(request, "core/_audit_verify.html", context)


def error_403(request: AuthedHttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = getattr(exception, "message", "") or ""
    return render(request, "403.html", {"message": message}, status=403)


def error_404(request: AuthedHttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
