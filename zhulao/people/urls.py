from django.urls import path

from zhulao.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("export.xlsx", views.person_export, name="person_export"),
    path("new/", views.person_create, name="person_create"),
    path("<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:public_id>/eligibility/", views.person_eligibility, name="person_eligibility"),
    path("<uuid:public_id>/unmask/", views.person_unmask, name="person_unmask"),
    path("<uuid:public_id>/evidence/", views.evidence_add, name="evidence_add"),
    path(
        "<uuid:public_id>/evidence/<int:evidence_id>/withdraw/",
        views.evidence_withdraw,
        name="evidence_withdraw",
    ),
    path("<uuid:public_id>/merge/", views.person_merge, name="person_merge"),
    path("<uuid:public_id>/external-placements/", views.external_placement_add, name="external_placement_add"),
    path("link-account/", views.link_user, name="link_user"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<uuid:public_id>/", views.household_detail, name="household_detail"),
    path("households/<uuid:public_id>/members/", views.household_add_member, name="household_add_member"),
    path("households/<uuid:public_id>/evidence/", views.household_evidence_add, name="household_evidence_add"),
]
