from django.urls import path

from zhulao.core.imports import views

app_name = "imports"
urlpatterns = [
    # job URLs first: "jobs" is not a kind
    path("jobs/<uuid:public_id>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:public_id>/errors.xlsx", views.job_errors_xlsx, name="job_errors"),
    path("<slug:kind>/", views.upload_page, name="upload_page"),
    path("<slug:kind>/upload/", views.upload, name="upload"),
    path("<slug:kind>/template.xlsx", views.template_xlsx, name="template"),
]
