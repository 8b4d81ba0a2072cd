from django.urls import path

from collectif.ecosystem.views import contacts as contact_views
from collectif.ecosystem.views import engagement as engagement_views
from collectif.ecosystem.views import gaps as gap_views
from collectif.ecosystem.views import network as network_views
from collectif.ecosystem.views import organisation_imports as import_views
from collectif.ecosystem.views import organisations as views
from collectif.ecosystem.views import relationships as relationship_views

app_name = "ecosystem"

urlpatterns = [
    path("gaps/", gap_views.gap_matrix, name="gap_matrix"),
    path("gaps/export/", gap_views.gap_export, name="gap_export"),
    path("gaps/equity/", gap_views.equity_summary, name="equity_summary"),
    path("gaps/targets/", gap_views.gap_targets, name="gap_targets"),
    path("gaps/targets/new/", gap_views.gap_target_create, name="gap_target_create"),
    path(
        "gaps/targets/<int:gap_target_id>/edit/",
        gap_views.gap_target_edit,
        name="gap_target_edit",
    ),
    path(
        "gaps/targets/<int:gap_target_id>/delete/",
        gap_views.gap_target_delete,
        name="gap_target_delete",
    ),
    path(
        "gaps/cells/<str:gap_axis>/<slug:gap_sector>/<str:gap_column>/",
        gap_views.gap_cell,
        name="gap_cell",
    ),
    path("partners/", views.public_organisation_list, name="public_organisation_list"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/export/", views.organisation_export, name="organisation_export"),
    path("organisations/import/", import_views.organisation_import, name="organisation_import"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/archive/",
        views.organisation_archive,
        name="organisation_archive",
    ),
    path(
        "organisations/<slug:slug>/restore/",
        views.organisation_restore,
        name="organisation_restore",
    ),
    path(
        "organisations/<slug:slug>/delete/", views.organisation_delete, name="organisation_delete"
    ),
    path(
        "organisations/<slug:slug>/pipeline/record/",
        engagement_views.engagement_record,
        name="engagement_record",
    ),
    path(
        "organisations/<slug:slug>/pipeline/move/",
        engagement_views.engagement_move,
        name="engagement_move",
    ),
    path(
        "organisations/<slug:slug>/pipeline/owner/",
        engagement_views.engagement_assign,
        name="engagement_assign",
    ),
    path("network/", network_views.network_map, name="network_map"),
    path("network/table/", network_views.network_table, name="network_table"),
    path("network/refresh/", network_views.network_refresh, name="network_refresh"),
    path("network/export/", network_views.network_export, name="network_export"),
    path("pipeline/", engagement_views.pipeline_board, name="pipeline_board"),
    path("pipeline/<slug:stage>/", engagement_views.pipeline_stage, name="pipeline_stage"),
    path("contacts/", contact_views.contact_list, name="contact_list"),
    path("contacts/new/", contact_views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", contact_views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", contact_views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/archive/", contact_views.contact_archive, name="contact_archive"),
    path("contacts/<int:pk>/restore/", contact_views.contact_restore, name="contact_restore"),
    path("contacts/<int:pk>/consent/", contact_views.consent_record, name="consent_record"),
    path("contacts/<int:pk>/withdraw/", contact_views.consent_withdraw, name="consent_withdraw"),
    path("relationships/", relationship_views.relationship_list, name="relationship_list"),
    path("relationships/new/", relationship_views.relationship_create, name="relationship_create"),
    path(
        "relationships/import/",
        relationship_views.relationship_import,
        name="relationship_import",
    ),
    path(
        "relationships/<int:relationship_id>/edit/",
        relationship_views.relationship_edit,
        name="relationship_edit",
    ),
    path(
        "relationships/<int:relationship_id>/delete/",
        relationship_views.relationship_delete,
        name="relationship_delete",
    ),
    path("relationships/types/", relationship_views.relationship_types, name="relationship_types"),
    path(
        "relationships/types/new/",
        relationship_views.relationship_type_create,
        name="relationship_type_create",
    ),
    path(
        "relationships/types/<slug:type_code>/edit/",
        relationship_views.relationship_type_edit,
        name="relationship_type_edit",
    ),
    path(
        "relationships/types/<slug:type_code>/delete/",
        relationship_views.relationship_type_delete,
        name="relationship_type_delete",
    ),
]
