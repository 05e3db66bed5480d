from django.urls import path

from zhulao.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("focus/", views.set_focus, name="set_focus"),
    path("cascade/", views.cascade_options, name="cascade"),
    path("<str:code>/", views.detail, name="detail"),
]
