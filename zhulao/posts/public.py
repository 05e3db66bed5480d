"""Public pages (社会公众, no login): open recruitment batches with an application form, public notices
(公示) with an objection form, archived notices with their hash, and the notice PDF.

Privacy (SECURITY items 23, 25): a notice shows only the allowlisted, masked candidate fields of
``services.notices.public_entry``; a closed notice is shown from its archived snapshot, never from
live data. Nothing here sets a cookie on a GET except ``csrftoken`` when a form is on the page.

The application form never tells whether an ID number is registered (issue "Personal-data leaks"):
once the typed values are well-formed, a registered and an unregistered number get the same page with
the same status, showing only what the visitor typed. A registered number whose name differs from the
record is entered with a note for the village to check; one the services refuse for that person
(already applied, merged record, household registration elsewhere) is not entered and goes to the
person's village committee as a case to check. Both are audited.

Throttling (``zhulao.core.throttle``, database rows shared by every process): objections per address in
the service; application attempts per address (``PUBLIC_APPLY_ATTEMPTS_PER_IP_PER_HOUR``), applications
received per address (``PUBLIC_APPLY_PER_IP_PER_HOUR``) and attempts over everyone
(``PUBLIC_APPLY_GLOBAL_PER_HOUR``) here. Every answer over a limit is 429 with ``Retry-After``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from zhulao.core import clock, throttle
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.forms import StyledFormMixin
from zhulao.core.middleware import client_ip
from zhulao.people import services as people_services
from zhulao.posts import archive, selectors, services
from zhulao.posts.models import Post, PublicNotice, RecruitmentBatch
from zhulao.posts.services import public_applications
from zhulao.regions.choices import RegionLevel
from zhulao.regions.models import Region
from zhulao.rules import masking
from zhulao.rules.eligibility import HUKOU_NAMES_EN, HUKOU_NAMES_ZH, HukouType

SUBMIT_ACTION = public_applications.SUBMIT_ACTION
CHECK_KIND = public_applications.CHECK_KIND
ARCHIVE_PAGE_SIZE = 30
THROTTLED = _("Too many applications from this network in the last hour. Please try again later.")
BUSY = _("The application form is very busy. Please try again in an hour.")


def attempts_per_ip() -> throttle.Limit:
    return throttle.Limit("public_apply_ip", settings.PUBLIC_APPLY_ATTEMPTS_PER_IP_PER_HOUR, timedelta(hours=1))


def received_per_ip() -> throttle.Limit:
    return throttle.Limit("public_apply_ok_ip", settings.PUBLIC_APPLY_PER_IP_PER_HOUR, timedelta(hours=1))


def attempts_global() -> throttle.Limit:
    return throttle.Limit("public_apply_all", settings.PUBLIC_APPLY_GLOBAL_PER_HOUR, timedelta(hours=1))


# Service refusals whose own wording would say too much to an anonymous visitor (e.g. another
# person's name) or make no sense to them.
PUBLIC_MESSAGES = {
    "duplicate_person": _("This ID number is already registered. Check it, or ask your village committee."),
    "merged_person": _("This ID number needs checking by your village committee before you can apply."),
}


# ------------------------------------------------------------------------------------------- reads


def _open_batches() -> QuerySet[RecruitmentBatch]:
    return selectors.public_batches().annotate(post_count=Count("posts", distinct=True))


def _vacant_posts(batch: RecruitmentBatch) -> list[Post]:
    return list(
        Post.objects.filter(batches=batch)
        .vacant()
        .select_related("facility", "region")
        .order_by("region_id", "facility__name", "number")
    )


def _villages_for(posts: list[Post]) -> list[Region]:
    """The villages an applicant may live in: those of the village posts, and the villages under the
    township of a service-center post."""
    codes = {p.region_id for p in posts if p.region.level == RegionLevel.VILLAGE}
    townships = {p.region_id for p in posts if p.region.level == RegionLevel.TOWNSHIP}
    rows = Region.objects.filter(Q(code__in=codes) | Q(parent_id__in=townships), level=RegionLevel.VILLAGE)
    return list(rows.order_by("code"))


def _hukou_names(types: list[str]) -> list[str]:
    names = HUKOU_NAMES_ZH if (translation.get_language() or "zh").startswith("zh") else HUKOU_NAMES_EN
    return [names[HukouType(t)] for t in types if t in HukouType.__members__.values()]


def _visible_notice(public_id: UUID) -> PublicNotice:
    """An open notice whose period has started, or an archived one; anything else is 404."""
    for archived in (False, True):
        notice = selectors.public_notices(archived=archived).filter(public_id=public_id).first()
        if notice is not None:
            return notice
    raise Http404


def _post_label(post: Post) -> str:
    return f"{post.facility.name} · {post.region.name} · {post.facility.get_kind_display()} · {_('post')} {post.number}"


# ------------------------------------------------------------------------------------------- forms


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = [("", "—"), *choices]


class ApplicationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20)
    phone = forms.CharField(label=_("Phone"), max_length=20, help_text=_("The village committee will call you."))
    village = forms.ChoiceField(label=_("Village or community where you live"))
    post = forms.ChoiceField(label=_("Post applied for"))
    consent = forms.BooleanField(
        label=_(
            "I agree that my name, ID number and phone are used only to check this application, "
            "and that if I am shortlisted my name, sex, age, village and masked ID number are published "
            "in the public notice."
        )
    )

    def __init__(self, *args: Any, posts: list[Post], villages: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.posts = {str(p.public_id): p for p in posts}
        self.villages = {r.code: r for r in villages}
        _set_choices(self, "post", [(key, _post_label(p)) for key, p in self.posts.items()])
        _set_choices(self, "village", [(r.code, r.name) for r in villages])
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "inputmode": "text"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean_id_number(self) -> str:
        try:
            return str(people_services.validate_id_number(self.cleaned_data["id_number"]).number)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from exc

    def clean_phone(self) -> str:
        try:
            return people_services.normalize_phone(self.cleaned_data["phone"])
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from exc


class ObjectionForm(StyledFormMixin, forms.Form):
    candidate = forms.ChoiceField(label=_("Candidate"))
    text = forms.CharField(
        label=_("Objection"),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("State the facts (5 to 2000 characters)."),
    )
    contact = forms.CharField(
        label=_("Contact (optional)"),
        max_length=100,
        required=False,
        help_text=_("Only the staff handling the objection see it."),
    )

    def __init__(self, *args: Any, candidates: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self,
            "candidate",
            [(c["application"], f"{c['name']}（{c['village']} · {c['id_number']}）") for c in candidates],
        )


def _form_error(form: forms.Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    name = (aliases or {}).get(exc.field or "", exc.field or "")
    message = PUBLIC_MESSAGES.get(exc.code, exc.message)
    form.add_error(name if name in form.fields else None, str(message))


# ------------------------------------------------------------------------------------------- views


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    batches = [{"batch": b, "hukou_names": _hukou_names(b.allowed_hukou_types)} for b in _open_batches()]
    notices = list(selectors.public_notices(archived=False))
    return render(request, "posts/public/home.html", {"batches": batches, "notices": notices, "today": clock.today()})


@dataclass(frozen=True)
class Receipt:
    """What the visitor is shown after a well-formed application: only what they typed."""

    name: str
    id_number_masked: str
    post: Post
    at: datetime


def _receipt(form: ApplicationForm) -> Receipt:
    data = form.cleaned_data
    return Receipt(
        name=data["name"].strip(),
        id_number_masked=masking.mask_id_number(data["id_number"]),
        post=form.posts[data["post"]],
        at=clock.now(),
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def batch_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    batch = get_object_or_404(_open_batches(), public_id=public_id)
    posts = _vacant_posts(batch)
    taking = batch.applications_open <= clock.today() <= batch.applications_close and bool(posts)
    form = None
    if taking:
        form = ApplicationForm(request.POST or None, posts=posts, villages=_villages_for(posts))
    context: dict[str, Any] = {
        "batch": batch,
        "posts": posts,
        "hukou_names": _hukou_names(batch.allowed_hukou_types),
        "form": form,
    }
    if request.method != "POST":
        return render(request, "posts/public/batch_detail.html", context)
    if form is None:
        context["refusal"] = _("This batch is not taking applications today.")
        return render(request, "posts/public/batch_detail.html", context, status=400)
    ip = client_ip(request)
    try:
        # Per address first: one address refused there never uses up everyone's ceiling.
        throttle.hit_or_refuse(attempts_per_ip(), ip, THROTTLED)
        throttle.check(received_per_ip(), ip, THROTTLED)
        throttle.hit_or_refuse(attempts_global(), throttle.GLOBAL, BUSY)
    except throttle.Throttled as exc:
        form.add_error(None, str(exc.message))
        response = render(request, "posts/public/batch_detail.html", context, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if form.is_valid():
        data = form.cleaned_data
        try:
            public_applications.public_application_receive(
                batch=batch,
                post=form.posts[data["post"]],
                village=form.villages[data["village"]],
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
            )
        except DomainError as exc:
            public_applications.public_application_refused(batch=batch, code=exc.code)
            _form_error(form, exc, {"region": "village"})
        except ValidationError as exc:  # a model check the services run last (full_clean)
            public_applications.public_application_refused(batch=batch, code="invalid")
            form.add_error(None, " ".join(exc.messages))
        else:
            throttle.hit(received_per_ip(), ip)
            return render(request, "posts/public/application_done.html", {"batch": batch, "receipt": _receipt(form)})
    return render(request, "posts/public/batch_detail.html", context, status=400)


@login_not_required
@require_http_methods(["GET", "POST"])
def notice_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    notice = _visible_notice(public_id)
    from zhulao.posts import pdfs  # WeasyPrint loads only with the first notice page

    content = pdfs.notice_content(notice)
    form = ObjectionForm(request.POST or None, candidates=content.candidates) if content.accepting_objections else None
    context: dict[str, Any] = {"notice": content, "form": form, "received": request.GET.get("received") == "1"}
    if request.method != "POST":
        return render(request, "posts/public/notice_detail.html", context)
    if form is None:
        context["refusal"] = _("This notice is not open for objections.")
        return render(request, "posts/public/notice_detail.html", context, status=400)
    status = 400
    if form.is_valid():
        application = get_object_or_404(notice.applications.all(), public_id=form.cleaned_data["candidate"])
        try:
            services.objection_raise(
                notice=notice,
                application=application,
                text=form.cleaned_data["text"],
                contact=form.cleaned_data["contact"],
                ip=client_ip(request),
            )
        except throttle.Throttled as exc:
            form.add_error(None, str(exc.message))
            response = render(request, "posts/public/notice_detail.html", context, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except Forbidden as exc:
            form.add_error(None, str(exc.message))
            status = 403
        except DomainError as exc:
            _form_error(form, exc, {"application": "candidate"})
        else:
            return redirect(reverse("public:notice_detail", args=[notice.public_id]) + "?received=1")
    return render(request, "posts/public/notice_detail.html", context, status=status)


@login_not_required
@require_GET
def notice_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    notice = _visible_notice(public_id)
    from zhulao.posts import pdfs

    response = HttpResponse(pdfs.notice_pdf(notice, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.public_id}.pdf"'
    return response


def _snapshot_is_public(notice: PublicNotice) -> bool:
    """Whether the public may still download the archived snapshot (staff always may): not after the
    public retention period of archived notices (``PublicNotice.public_details_expired``)."""
    return not notice.public_details_expired()


@login_not_required
@require_GET
def notice_snapshot(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The archived snapshot, byte for byte as hashed, so that anyone can run ``sha256sum`` on it."""
    notice = get_object_or_404(selectors.public_notices(archived=True), public_id=public_id)
    if not _snapshot_is_public(notice):
        raise Http404
    return archive.snapshot_response(notice)


@login_not_required
@require_GET
def notice_archive(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_notices(archived=True), ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "posts/public/notice_archive.html", {"page": page})
