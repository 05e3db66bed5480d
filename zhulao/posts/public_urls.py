"""Public pages (no login), mounted at /public/ by config/urls.py."""

from django.urls import path

from zhulao.posts import public

app_name = "public"
urlpatterns = [
    path("", public.home, name="home"),
    path("batches/<uuid:public_id>/", public.batch_detail, name="batch_detail"),
    path("notices/archive/", public.notice_archive, name="notice_archive"),
    path("notices/<uuid:public_id>/", public.notice_detail, name="notice_detail"),
    path("notices/<uuid:public_id>/notice.pdf", public.notice_pdf, name="notice_pdf"),
    path("notices/<uuid:public_id>/snapshot.json", public.notice_snapshot, name="notice_snapshot"),
]
