from django.urls import path

from zhulao.core import views

app_name = "core"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<int:seq>/", views.audit_detail, name="audit_detail"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]
