from django.urls import URLPattern, path

from zhulao.eldercare import views

app_name = "eldercare"
urlpatterns = [
    # the helper (助老员), on a phone
    path("today/", views.my_day, name="my_day"),
    path("archives/<uuid:public_id>/visit/", views.visit_start, name="visit_start"),
    path("visits/<uuid:public_id>/", views.visit_detail, name="visit_detail"),
    path("visits/<uuid:public_id>/share/", views.visit_share, name="visit_share"),
    # staff
    path("archives/", views.archive_list, name="archive_list"),
    path("archives/new/", views.archive_create, name="archive_create"),
    path("archives/<uuid:public_id>/", views.archive_detail, name="archive_detail"),
    path("archives/<uuid:public_id>/edit/", views.archive_edit, name="archive_edit"),
    path("archives/<uuid:public_id>/contacts/", views.contact_add, name="contact_add"),
    path("archives/<uuid:public_id>/assessments/new/", views.assessment_create, name="assessment_create"),
    path("archives/<uuid:public_id>/pairing/", views.pairing_assign, name="pairing_assign"),
    path("archives/<uuid:public_id>/pairing/end/", views.pairing_end, name="pairing_end"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export.xlsx", views.coverage_export, name="coverage_export"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/<uuid:visit_id>/record/", views.call_record, name="call_record"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/<uuid:public_id>/handle/", views.need_handle, name="need_handle"),
    # activities (S18) and facility operation (S3)
    path("facilities/<uuid:public_id>/activities/", views.facility_calendar, name="facility_calendar"),
    path("facilities/<uuid:public_id>/activities/new/", views.activity_create, name="activity_create"),
    path("facilities/<uuid:public_id>/opening-log/", views.opening_log, name="opening_log"),
    path("activities/<uuid:public_id>/photo/", views.activity_photo, name="activity_photo"),
    path("operation/", views.operation, name="operation"),
    path("indicators/", views.indicators, name="indicators"),
]

# Emergencies (S16) and the notification centre keep their own namespace ("emergencies:…") under
# care/emergencies/ (config/urls.py includes ``emergency_patterns``).
emergency_patterns: tuple[list[URLPattern], str] = (
    [
        path("", views.emergency_list, name="list"),
        path("report/<uuid:archive_id>/", views.emergency_report, name="report"),
        path("<uuid:public_id>/", views.emergency_detail, name="detail"),
        path("<uuid:public_id>/<slug:act>/", views.emergency_act, name="act"),
        path("notifications/all/", views.notification_list, name="notifications"),
        path("notifications/read/", views.notification_read, name="notifications_read"),
    ],
    "emergencies",
)
