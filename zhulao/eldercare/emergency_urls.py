from django.urls import path

from zhulao.eldercare import emergency_views as views

app_name = "emergencies"
urlpatterns = [
    path("", views.emergency_list, name="list"),
    path("report/<uuid:archive_id>/", views.emergency_report, name="report"),
    path("<uuid:public_id>/", views.emergency_detail, name="detail"),
    path("<uuid:public_id>/<slug:act>/", views.emergency_act, name="act"),
    path("notifications/all/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read, name="notifications_read"),
]
