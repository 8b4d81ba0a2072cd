"""Background work for accounts: sending invitation e-mails outside the request."""

from django_tasks import task

from collectif.accounts import selectors
from collectif.accounts.emails import invitation_email
from collectif.accounts.services import invitation_secret


@task()
def invitation_email_send(invitation_id: int) -> bool:
    """Send the invitation e-mail if the invitation still waits with the same link.

    A resend changes the link; an e-mail queued before it would carry a dead link, so
    it is skipped rather than sent.
    """
    invitation = selectors.invitation_get(invitation_id=invitation_id)
    if invitation is None or selectors.invitation_status(invitation) != "pending":
        return False
    secret = invitation_secret(invitation)
    if selectors.hash_secret(secret) != invitation.token_hash:
        return False
    invitation_email(invitation=invitation, secret=secret).send()
    return True
