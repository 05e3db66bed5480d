from django.urls import path

from zhulao.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.parameter_list, name="list"),
    path("add/", views.parameter_add, name="add"),
    path("<str:key>/", views.parameter_history, name="history"),
]
