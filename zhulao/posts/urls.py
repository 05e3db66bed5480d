from django.urls import path

from zhulao.posts.views import facilities, notices, recruitment

app_name = "posts"
urlpatterns = [
    path("facilities/", facilities.facility_list, name="facility_list"),
    path("facilities/new/", facilities.facility_create, name="facility_create"),
    path("facilities/<uuid:public_id>/", facilities.facility_detail, name="facility_detail"),
    path("facilities/<uuid:public_id>/status/", facilities.facility_status, name="facility_status"),
    path("batches/", recruitment.batch_list, name="batch_list"),
    path("batches/new/", recruitment.batch_create, name="batch_create"),
    path("batches/<uuid:public_id>/", recruitment.batch_detail, name="batch_detail"),
    path("batches/<uuid:public_id>/apply/", recruitment.application_create, name="application_create"),
    path("applications/", recruitment.application_list, name="application_list"),
    path("applications/<uuid:public_id>/", recruitment.application_detail, name="application_detail"),
    path("applications/<uuid:public_id>/step/<slug:step>/", recruitment.application_step, name="application_step"),
    path("applications/<uuid:public_id>/close/<slug:how>/", recruitment.application_close, name="application_close"),
    path(
        "applications/<uuid:public_id>/conflicts/<int:flag_id>/resolve/",
        recruitment.conflict_resolve,
        name="conflict_resolve",
    ),
    path("applications/<uuid:public_id>/hire/", recruitment.application_hire, name="application_hire"),
    path("placements/<uuid:public_id>/", recruitment.placement_detail, name="placement_detail"),
    path("placements/<uuid:public_id>/contract.pdf", recruitment.contract_pdf, name="contract_pdf"),
    path("placements/<uuid:public_id>/register/", recruitment.contract_register, name="contract_register"),
    path("placements/<uuid:public_id>/end/", recruitment.placement_end, name="placement_end"),
    path("placements/<uuid:public_id>/account/", recruitment.placement_account, name="placement_account"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/open/", notices.notice_open, name="notice_open"),
    path("notices/<uuid:public_id>/", notices.notice_detail, name="notice_detail"),
    path("notices/<uuid:public_id>/notice.pdf", notices.notice_pdf, name="notice_pdf"),
    path("notices/<uuid:public_id>/snapshot.json", notices.notice_snapshot, name="notice_snapshot"),
    path("notices/<uuid:public_id>/close/", notices.notice_close, name="notice_close"),
    path(
        "notices/<uuid:public_id>/objections/<uuid:objection_id>/resolve/",
        notices.objection_resolve,
        name="objection_resolve",
    ),
]
