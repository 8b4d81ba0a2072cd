"""Who may use core's pages and API operations (the permission matrix, decision 0023).

Keys are URL names and API operation ids; the rules are in `core/manifest.py`.
"""

from collectif.core.manifest import OWN_OR_STAFF, PUBLIC, SIGNED_IN, STAFF, Access

ACCESS: dict[str, Access] = {
    "core:home": PUBLIC,
    "core:about": PUBLIC,
    "core:privacy": PUBLIC,
    "core:accessibility": PUBLIC,
    # Everyone signed in has a home; staff are sent on to theirs.
    "core:dashboard": SIGNED_IN,
    "core:staff_home": STAFF,
    "core:audit_list": STAFF,
    # A job is its starter's (the matrix's steward started it) and staff's.
    "core:job_detail": OWN_OR_STAFF,
    "core:job_status": OWN_OR_STAFF,
    "core:job_download": OWN_OR_STAFF,
    "core:job_retry": OWN_OR_STAFF.by_post(),
    "collectif_core_api_list_provinces": PUBLIC,
    "collectif_core_api_get_postal_area": PUBLIC,
}
