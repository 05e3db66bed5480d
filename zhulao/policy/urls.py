from django.urls import path

from zhulao.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.parameter_list, name="list"),
    path("add/", views.parameter_add, name="add"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:proposal_id>/<slug:how>/", views.proposal_decide, name="proposal_decide"),
    path("<str:key>/", views.parameter_history, name="history"),
]
