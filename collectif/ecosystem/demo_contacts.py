"""Demo contacts and reach: people at most demo organisations, with every kind of consent,
and the equity identities and population groups the organisations would give.

Rows are written in bulk rather than through the services: the demo loads in seconds,
and no audit trail is owed for fictional people (as `demo_people.py` does). Everything
comes from `rng`, so a demo is the same every time.
"""

import random
import unicodedata
from datetime import timedelta

from django.utils import timezone

from collectif.core.manifest import DemoOutput
from collectif.ecosystem.demo import BACKBONE_SLUG
from collectif.ecosystem.domain.consent import default_expiry
from collectif.ecosystem.models import (
    Consent,
    Contact,
    EquityIdentity,
    Organisation,
    PopulationGroup,
)

FIRST_NAMES = [
    "Amélie", "Jordan", "Samira", "Tom", "Awinita", "Kwame", "Mei", "Lucie", "Hamza",
    "Nadia", "Étienne", "Priya", "Connor", "Isabelle", "Tariq", "Ji-woo", "Marie-Ève",
    "Daniel", "Aputi", "Sofia", "Olivier", "Zainab", "Liam", "Chantal",
]  # fmt: skip
LAST_NAMES = [
    "Gagnon", "Lee", "Haddad", "MacKenzie", "Cardinal", "Mensah", "Chen", "Roy", "Ali",
    "Ouellet", "Tremblay", "Raman", "O'Brien", "Bouchard", "Khan", "Park", "Côté",
    "Okafor", "Kilabuk", "Rossi", "Lavoie", "Diallo", "Thompson", "Bergeron",
]  # fmt: skip
ROLES = [
    ("Executive director", "Directrice générale"),
    ("Program coordinator", "Coordonnateur des programmes"),
    ("Volunteer manager", "Responsable des bénévoles"),
    ("Youth engagement lead", "Responsable de la participation des jeunes"),
    ("Partnerships officer", "Agente de partenariats"),
    ("Evaluation analyst", "Analyste en évaluation"),
    ("Board chair", "Présidente du conseil"),
]
SOURCES = [
    "the registration form of the spring webinar",
    "a signed partnership agreement",
    "a question sent through the website",
    "a business card handed over at the national summit",
    "the sign-up form of the newsletter",
]
# Where the demo's territories and rural provinces make "rural or remote" likely.
REMOTE = {"YT", "NT", "NU", "NL", "PE"}
DISABILITY = "disability-serving"


def _ascii(text: str) -> str:
    """An e-mail local part from a name: "Marie-Ève.O'Brien" → "marie-eve.obrien"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch in ".-")


def _consent(rng: random.Random, contact: Contact) -> list[Consent]:
    """None, express, implied (some lapsed) or withdrawn, in realistic proportions."""
    draw = rng.random()
    if draw < 0.15:
        return []
    given = timezone.localdate() - timedelta(days=rng.randint(20, 1100))
    if draw < 0.55:
        kind, basis = "express", "express_request"
    else:
        kind = "implied"
        basis = rng.choice(["business_relationship", "inquiry", "address_given"])
    consent = Consent(
        contact=contact,
        kind=kind,
        basis=basis,
        given_on=given,
        source=SOURCES[0] if kind == "express" else rng.choice(SOURCES[1:]),
        expires_on=default_expiry(kind=kind, basis=basis, given_on=given),
    )
    if rng.random() < 0.1:
        consent.withdrawn_on = given + timedelta(days=rng.randint(5, 15))
        consent.withdrawal_source = "unsubscribe link in the newsletter"
    return [consent]


def _reach(rng: random.Random, organisation: Organisation) -> tuple[list[str], list[str]]:
    """Equity identity and population codes that fit the organisation's name and place."""
    name = (organisation.name_en or organisation.name_fr or "").lower()  # type: ignore[attr-defined]
    identities, groups = [], []
    if "indigenous" in name or "autochtone" in name:
        identities.append("indigenous-led")
        groups.append("indigenous")
    if "newcomer" in name or "nouveaux arrivants" in name:
        identities.append("newcomer-serving")
        groups.append("newcomer")
    if organisation.sector.code == "youth-led":
        identities.append("youth-led")
    if organisation.head_office_province_id in REMOTE or rng.random() < 0.05:
        identities.append("rural-remote")
        groups.append("rural")
    for code, share in (("black-led", 0.06), ("2slgbtq-serving", 0.05), (DISABILITY, 0.04)):
        if rng.random() < share:
            identities.append(code)
    if organisation.head_office_province_id != "QC" and rng.random() < 0.05:
        identities.append("language-minority")
    groups.append(rng.choice(["children", "adolescents", "young-adults"]))
    if rng.random() < 0.2:
        groups.append(rng.choice(["black-racialised", "2slgbtq", "disability", "in-care", "neet"]))
    return identities, groups


def _set_reach(rng: random.Random, organisations: list[Organisation]) -> None:
    identities = {e.code: e.pk for e in EquityIdentity.objects.all()}
    groups = {g.code: g.pk for g in PopulationGroup.objects.all()}
    equity_rows, population_rows = [], []
    equity_through = Organisation.equity_identities.through
    population_through = Organisation.populations_served.through
    for organisation in organisations:
        codes, group_codes = _reach(rng, organisation)
        for code in dict.fromkeys(codes):
            if code in identities:
                equity_rows.append(
                    equity_through(
                        organisation_id=organisation.pk, equityidentity_id=identities[code]
                    )
                )
        for code in dict.fromkeys(group_codes):
            if code in groups:
                population_rows.append(
                    population_through(
                        organisation_id=organisation.pk, populationgroup_id=groups[code]
                    )
                )
    equity_through._default_manager.bulk_create(equity_rows)
    population_through._default_manager.bulk_create(population_rows)


def load(*, rng: random.Random, out: DemoOutput) -> None:
    organisations = list(
        Organisation.objects.exclude(slug=BACKBONE_SLUG).select_related("sector").order_by("slug")
    )
    _set_reach(rng, organisations)
    contacts: list[Contact] = []
    for organisation in out.progress(organisations, "Contacts"):
        if rng.random() < 0.15:
            continue  # most organisations, not all: some are only names on a list yet
        for _number in range(rng.randint(1, 3)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            role_en, role_fr = rng.choice(ROLES)
            address = _ascii(f"{first}.{last}")
            contacts.append(
                Contact(
                    organisation=organisation,
                    name=f"{first} {last}",
                    role_title=role_en,
                    role_title_en=role_en,
                    role_title_fr=role_fr,
                    preferred_language=rng.choice(["fr", "en"]),
                    email=f"{address}.{organisation.pk}@example.org",
                    phone=f"555-01{rng.randint(0, 99):02d}",
                )
            )
    Contact.objects.bulk_create(contacts)
    consents = [c for contact in contacts for c in _consent(rng, contact)]
    Consent.objects.bulk_create(consents)


def summary() -> list[str]:
    contacts = Contact.objects.count()
    consents = Consent.objects.count()
    identified = Organisation.equity_identities.through._default_manager.count()
    return [
        f"Contacts: {contacts} at the demo organisations, {consents} consent records "
        f"(express, implied, lapsed and withdrawn); {identified} equity identities given."
    ]
