"""Who may use the account pages, allauth's included (the permission matrix, decision 0023).

allauth's pages are declared by prefix ("account_*": anyone may sign in, ask for a
password reset, open a link from an e-mail (a wrong key says so) or read that sign-up is
closed); the ones that need a signed-in person are named one by one.
"""

from collectif.core.manifest import MEMBERS, PUBLIC, SIGNED_IN, STAFF, Access, access

ACCESS: dict[str, Access] = {
    "accounts:token_list": MEMBERS,
    "accounts:token_create": MEMBERS,
    # A token is its owner's alone: not even staff may revoke someone else's.
    "accounts:token_revoke": access("steward", method="POST"),
    "accounts:invitation_list": STAFF,
    "accounts:invitation_create": STAFF,
    "accounts:invitation_resend": STAFF.by_post(),
    "accounts:invitation_withdraw": STAFF.by_post(),
    # The invitation's secret is the key: anyone holding the link may open it.
    "accounts:invitation_accept": PUBLIC,
    "accounts:people_list": STAFF,
    "accounts:membership_remove": STAFF.by_post(),
    "account_*": PUBLIC,
    "account_change_password": SIGNED_IN,
    "account_set_password": SIGNED_IN,
    "account_email": SIGNED_IN,
    "account_reauthenticate": SIGNED_IN,
    "account_request_reauthentication_code": SIGNED_IN,
    "account_confirm_reauthentication_code": SIGNED_IN,
    # Sign-in by code is off: allauth sends visitors to the sign-in page, others home.
    "account_confirm_login_code": SIGNED_IN,
    "collectif_accounts_api_me": SIGNED_IN,
}
