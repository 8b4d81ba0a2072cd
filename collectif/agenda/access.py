"""Who may use the plan pages (the permission matrix, decision 0023): staff only."""

from collectif.core.manifest import STAFF, Access

ACCESS: dict[str, Access] = {
    "agenda:plan_list": STAFF,
    "agenda:plan_create": STAFF,
    "agenda:plan_edit": STAFF,
}
