from django.urls import path

from zhulao.eldercare import views

app_name = "eldercare"
urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/<uuid:public_id>/handle/", views.need_handle, name="need_handle"),
]
