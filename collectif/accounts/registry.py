"""Accounts' manifest: people, invitations, API tokens and the roles every app asks about."""

from django.utils.translation import gettext_lazy as _

from collectif.accounts.access import ACCESS
from collectif.accounts.api import router
from collectif.accounts.attention import invitation_attention
from collectif.accounts.audit import AccountsAction
from collectif.accounts.permissions import PERMISSIONS
from collectif.core.manifest import ApiMount, Manifest, NavEntry, UrlMount

manifest = Manifest(
    label="accounts",
    access=ACCESS,
    after=("core",),
    nav=(
        NavEntry(
            group="backbone",
            label=_("Invitations"),
            url_name="accounts:invitation_list",
            perm="accounts.invite",
            order=20,
        ),
        NavEntry(
            group="backbone",
            label=_("People"),
            url_name="accounts:people_list",
            perm="accounts.view_people",
            order=30,
        ),
    ),
    attention=(invitation_attention,),
    urls=(
        UrlMount("accounts/", "collectif.accounts.urls"),
        UrlMount("accounts/", "allauth.urls"),
    ),
    api=(ApiMount("/me", router),),
    permissions=PERMISSIONS,
    audit_actions=AccountsAction,
)
