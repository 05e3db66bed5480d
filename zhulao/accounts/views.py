"""Sign-in, password change, users (system administrator) and roles (security administrator)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhulao.accounts import forms, selectors, services
from zhulao.accounts.models import RoleAssignment
from zhulao.core import throttle
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest
from zhulao.core.middleware import client_ip
from zhulao.core.querysets import require_action
from zhulao.regions.models import Organization

THROTTLED_LOGIN = gettext_lazy("Too many failed sign-ins from this network. Please wait a few minutes and try again.")


def login_ip_limit() -> throttle.Limit:
    """Failed logins from one client address (settings ``LOGIN_IP_FAIL_LIMIT`` per ``LOGIN_IP_WINDOW_MINUTES``)."""
    return throttle.Limit("login_ip", settings.LOGIN_IP_FAIL_LIMIT, timedelta(minutes=settings.LOGIN_IP_WINDOW_MINUTES))


class LoginView(auth_views.LoginView):
    """Django's login, throttled per client address: only failures count, so colleagues behind one office
    address keep signing in while one of them is locked out; past the limit every attempt from the address
    gets 429 (with ``Retry-After``) until the window ends. The counters are database rows."""

    authentication_form = forms.LoginForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            throttle.check(login_ip_limit(), client_ip(request), THROTTLED_LOGIN)
        except throttle.Throttled as exc:
            form = self.get_form_class()(request)  # unbound: the password is not checked at all
            form.cleaned_data = {}
            form.add_error(None, str(exc.message))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.hit(login_ip_limit(), client_ip(self.request))
        return super().form_invalid(form)


login = login_not_required(LoginView.as_view())
logout = auth_views.LogoutView.as_view()


def _apply_domain_error(form: Form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))


def password_change(request: AuthedHttpRequest) -> HttpResponse:
    form = forms.PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("core:workbench")
    return render(request, "accounts/password_change.html", {"form": form})


def user_list(request: AuthedHttpRequest) -> HttpResponse:
    users = selectors.user_list(actor=request.user, action=Action.USER_VIEW, query=request.GET.get("q", ""))
    page = Paginator(users.prefetch_related("assignments__region"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": forms.UserCreateForm(),
        "can_manage": request.user.can(Action.USER_MANAGE),
        "can_kill": request.user.can(Action.SESSION_KILL),
    }
    return render(request, "accounts/user_list.html", context)


@require_POST
def user_create(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.USER_MANAGE)
    form = forms.UserCreateForm(request.POST)
    if form.is_valid():
        try:
            user, initial = services.user_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            return render(request, "accounts/user_created.html", {"new_user": user, "initial": initial})
    users = selectors.user_list(actor=request.user, action=Action.USER_VIEW)
    page = Paginator(users, 50).get_page(1)
    return render(request, "accounts/user_list.html", {"page": page, "form": form, "can_manage": True})


@require_POST
def user_set_active(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    require_action(request.user, Action.USER_MANAGE)
    user = selectors.get_user_for_actor(actor=request.user, action=Action.USER_MANAGE, public_id=public_id)
    form = forms.UserActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is required."))
        return redirect("accounts:user_list")
    try:
        services.user_set_active(
            actor=request.user,
            user=user,
            active=request.POST.get("active") == "1",
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The account has been updated."))
    return redirect("accounts:user_list")


@require_POST
def user_end_sessions(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    require_action(request.user, Action.SESSION_KILL)
    user = selectors.get_user_for_actor(actor=request.user, action=Action.SESSION_KILL, public_id=public_id)
    form = forms.UserActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is required."))
        return redirect("accounts:user_list")
    ended = services.user_end_sessions(actor=request.user, user=user, reason=form.cleaned_data["reason"])
    messages.success(request, _("%(n)d session(s) ended.") % {"n": ended})
    return redirect("accounts:user_list")


def role_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.ROLE_VIEW)
    rows = selectors.assignment_list(actor=request.user, action=Action.ROLE_VIEW)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    can_grant = request.user.can(Action.ROLE_GRANT)
    form = forms.RoleGrantForm(organizations=Organization.objects.visible_to(request.user, Action.ROLE_GRANT))
    return render(request, "accounts/role_list.html", {"page": page, "form": form, "can_grant": can_grant})


@require_POST
def role_grant(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.ROLE_GRANT)
    organizations = Organization.objects.visible_to(request.user, Action.ROLE_GRANT)
    form = forms.RoleGrantForm(request.POST, organizations=organizations)
    if form.is_valid():
        try:
            services.role_grant(
                actor=request.user,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                region=form.cleaned_data["region"],
                organization=form.cleaned_data["organization"],
                valid_from=form.cleaned_data["valid_from"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("The role has been granted."))
            return redirect("accounts:role_list")
    rows = selectors.assignment_list(actor=request.user, action=Action.ROLE_VIEW)
    page = Paginator(rows, 50).get_page(1)
    return render(request, "accounts/role_list.html", {"page": page, "form": form, "can_grant": True})


@require_POST
def role_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require_action(request.user, Action.ROLE_GRANT)
    assignment = get_object_or_404(RoleAssignment.objects.visible_to(request.user, Action.ROLE_GRANT), pk=pk)
    form = forms.RoleRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is required."))
    else:
        try:
            services.role_revoke(
                actor=request.user,
                assignment=assignment,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The role has been revoked."))
    return redirect("accounts:role_list")
