"""Who may use the organisation pages and API (the permission matrix, decision 0023)."""

from collectif.core.manifest import PUBLIC, STAFF, Access

ACCESS: dict[str, Access] = {
    "ecosystem:public_organisation_list": PUBLIC,
    # A public, active organisation's page is public; the others are staff's (404).
    "ecosystem:organisation_detail": PUBLIC,
    "ecosystem:organisation_list": STAFF,
    "ecosystem:organisation_create": STAFF,
    "ecosystem:organisation_export": STAFF.by_post(),
    "ecosystem:organisation_edit": STAFF,
    "ecosystem:organisation_archive": STAFF,
    "ecosystem:organisation_restore": STAFF.by_post(),
    "ecosystem:organisation_delete": STAFF,
    "collectif_ecosystem_api_organisations_list_organisations": PUBLIC,
    "collectif_ecosystem_api_organisations_get_organisation": PUBLIC,
    "collectif_ecosystem_api_organisations_create_organisation": STAFF,
    "collectif_ecosystem_api_organisations_update_organisation": STAFF,
    "collectif_ecosystem_api_organisations_archive_organisation": STAFF,
    "collectif_ecosystem_api_organisations_restore_organisation": STAFF,
    "collectif_ecosystem_api_organisations_list_sectors": PUBLIC,
}
