"""The demo movement's organisations: about 150 fictional partners across Canada.

Every name and description is assembled from plausible parts with a seeded random
generator, so a run with the same seed gives the same organisations. Each description
says the organisation is fictional.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.text import slugify

from collectif.core.actors import SYSTEM
from collectif.core.manifest import DemoOutput
from collectif.core.models import Province
from collectif.ecosystem.models import Organisation, Sector, SizeBand
from collectif.ecosystem.services.organisations import (
    OrganisationData,
    organisation_archive,
    organisation_create,
)

BACKBONE_SLUG = "backbone"
# The accounts demo makes its data stewards report for these two programs.
DEMO_STEWARD_ORGANISATIONS = ["mentoring-circle-of-halifax", "grands-amis-de-montreal"]
TARGET_COUNT = 150
ARCHIVED_COUNT = 3
FICTIONAL_EN = "Fictional organisation for the Collectif demo."
FICTIONAL_FR = "Organisme fictif pour la démonstration de Collectif."

# Province names in English and with the French preposition each one takes.
PROVINCES = {
    "NL": ("Newfoundland and Labrador", "de Terre-Neuve-et-Labrador"),
    "PE": ("Prince Edward Island", "de l’Île-du-Prince-Édouard"),
    "NS": ("Nova Scotia", "de la Nouvelle-Écosse"),
    "NB": ("New Brunswick", "du Nouveau-Brunswick"),
    "QC": ("Quebec", "du Québec"),
    "ON": ("Ontario", "de l’Ontario"),
    "MB": ("Manitoba", "du Manitoba"),
    "SK": ("Saskatchewan", "de la Saskatchewan"),
    "AB": ("Alberta", "de l’Alberta"),
    "BC": ("British Columbia", "de la Colombie-Britannique"),
    "YT": ("Yukon", "du Yukon"),
    "NT": ("Northwest Territories", "des Territoires du Nord-Ouest"),
    "NU": ("Nunavut", "du Nunavut"),
}

# (English, French) city names.
CITIES = {
    "NL": [("St. John's", "St. John's"), ("Corner Brook", "Corner Brook"), ("Gander", "Gander")],
    "PE": [("Charlottetown", "Charlottetown"), ("Summerside", "Summerside")],
    "NS": [
        ("Halifax", "Halifax"),
        ("Sydney", "Sydney"),
        ("Truro", "Truro"),
        ("Yarmouth", "Yarmouth"),
    ],
    "NB": [
        ("Moncton", "Moncton"),
        ("Saint John", "Saint John"),
        ("Fredericton", "Fredericton"),
        ("Edmundston", "Edmundston"),
        ("Bathurst", "Bathurst"),
    ],
    "QC": [
        ("Montréal", "Montréal"),
        ("Québec City", "Québec"),
        ("Laval", "Laval"),
        ("Gatineau", "Gatineau"),
        ("Sherbrooke", "Sherbrooke"),
        ("Saguenay", "Saguenay"),
        ("Trois-Rivières", "Trois-Rivières"),
        ("Longueuil", "Longueuil"),
        ("Rimouski", "Rimouski"),
        ("Lévis", "Lévis"),
    ],
    "ON": [
        ("Toronto", "Toronto"),
        ("Ottawa", "Ottawa"),
        ("Hamilton", "Hamilton"),
        ("London", "London"),
        ("Kitchener", "Kitchener"),
        ("Windsor", "Windsor"),
        ("Sudbury", "Sudbury"),
        ("Thunder Bay", "Thunder Bay"),
        ("Kingston", "Kingston"),
        ("Barrie", "Barrie"),
        ("Mississauga", "Mississauga"),
        ("Brampton", "Brampton"),
        ("Oshawa", "Oshawa"),
        ("Peterborough", "Peterborough"),
        ("Sault Ste. Marie", "Sault-Sainte-Marie"),
    ],
    "MB": [("Winnipeg", "Winnipeg"), ("Brandon", "Brandon"), ("Thompson", "Thompson")],
    "SK": [("Saskatoon", "Saskatoon"), ("Regina", "Regina"), ("Prince Albert", "Prince Albert")],
    "AB": [
        ("Calgary", "Calgary"),
        ("Edmonton", "Edmonton"),
        ("Red Deer", "Red Deer"),
        ("Lethbridge", "Lethbridge"),
        ("Grande Prairie", "Grande Prairie"),
    ],
    "BC": [
        ("Vancouver", "Vancouver"),
        ("Victoria", "Victoria"),
        ("Surrey", "Surrey"),
        ("Kelowna", "Kelowna"),
        ("Kamloops", "Kamloops"),
        ("Prince George", "Prince George"),
        ("Nanaimo", "Nanaimo"),
    ],
    "YT": [("Whitehorse", "Whitehorse"), ("Dawson City", "Dawson")],
    "NT": [("Yellowknife", "Yellowknife"), ("Inuvik", "Inuvik"), ("Hay River", "Hay River")],
    "NU": [("Iqaluit", "Iqaluit"), ("Rankin Inlet", "Rankin Inlet")],
}

NEIGHBOURS = {
    "NL": ["NS"],
    "PE": ["NS", "NB"],
    "NS": ["NB", "PE"],
    "NB": ["NS", "PE", "QC"],
    "QC": ["ON", "NB"],
    "ON": ["QC", "MB"],
    "MB": ["SK", "ON", "NU"],
    "SK": ["AB", "MB"],
    "AB": ["BC", "SK", "NT"],
    "BC": ["AB", "YT"],
    "YT": ["BC", "NT"],
    "NT": ["YT", "NU", "AB"],
    "NU": ["NT", "MB"],
}

# Shares of each sector among the generated organisations: mostly mentoring programs.
SECTOR_SHARES = {
    "non-profit": 0.50,
    "education": 0.10,
    "funder": 0.08,
    "business": 0.07,
    "government": 0.08,
    "community": 0.07,
    "research": 0.05,
    "youth-led": 0.05,
}

# Name patterns per sector: {city}, {de_city}, {province}, {de_province}.
NAMES = {
    "non-profit": [
        ("Mentoring Circle of {city}", "Cercle de mentorat {de_city}"),
        ("{city} Youth Mentoring Program", "Programme de mentorat jeunesse {de_city}"),
        ("Big Friends of {city}", "Grands amis {de_city}"),
        ("{city} After-School Mentors", "Mentors après l’école {de_city}"),
        ("{city} Peer Mentoring Alliance", "Alliance de mentorat par les pairs {de_city}"),
        ("Newcomer Youth Mentors of {city}", "Mentors des jeunes nouveaux arrivants {de_city}"),
        ("{city} Indigenous Youth Mentorship", "Mentorat des jeunes autochtones {de_city}"),
        ("Mentoring Through Sport {city}", "Mentorat par le sport {de_city}"),
        ("Career Mentors of {city}", "Mentors de carrière {de_city}"),
        ("Girls Lead {city}", "Les filles mènent {de_city}"),
        ("{province} Mentoring Network", "Réseau du mentorat {de_province}"),
    ],
    "funder": [
        ("{city} Community Foundation", "Fondation communautaire {de_city}"),
        ("{province} Youth Futures Fund", "Fonds Avenir jeunesse {de_province}"),
        ("Community Impact Fund of {city}", "Fonds d’impact communautaire {de_city}"),
    ],
    "business": [
        ("{city} Tech Collective", "Collectif techno {de_city}"),
        ("{city} Builders' Co-operative", "Coopérative des bâtisseurs {de_city}"),
        ("{city} Engineering Partners", "Partenaires en ingénierie {de_city}"),
        ("{city} Credit Union", "Caisse populaire {de_city}"),
    ],
    "government": [
        ("City of {city} – Youth Services", "Ville {de_city} – Services à la jeunesse"),
        ("{province} Youth Office", "Bureau de la jeunesse {de_province}"),
    ],
    "education": [
        ("{city} District School Board", "Conseil scolaire de district {de_city}"),
        ("{city} Community College", "Collège communautaire {de_city}"),
        ("{city} Secondary School", "École secondaire {de_city}"),
    ],
    "research": [
        (
            "Youth Mentoring Research Centre – {city}",
            "Centre de recherche sur le mentorat des jeunes – {city}",
        ),
        ("{city} Institute for Youth Studies", "Institut d’études sur la jeunesse {de_city}"),
    ],
    "community": [
        ("{city} Neighbourhood Association", "Association de quartier {de_city}"),
        ("Friends of {city} Youth", "Les amis des jeunes {de_city}"),
    ],
    "youth-led": [
        ("Youth Voices {city}", "Voix jeunesse {de_city}"),
        ("{city} Youth Council", "Conseil jeunesse {de_city}"),
    ],
}

# Organisations that work in every province and territory.
NATIONAL = [
    (
        "research",
        "ON",
        (
            "Canadian Youth Mentoring Research Network",
            "Réseau canadien de recherche sur le mentorat des jeunes",
        ),
        (
            "Brings together researchers who study youth mentoring in every region.",
            "Réunit les chercheuses et chercheurs qui étudient le mentorat des jeunes dans "
            "toutes les régions.",
        ),
    ),
    (
        "funder",
        "ON",
        ("National Mentoring Fund for Youth", "Fonds national pour le mentorat des jeunes"),
        (
            "Funds mentoring programs in every province and territory.",
            "Finance des programmes de mentorat dans toutes les provinces et tous les territoires.",
        ),
    ),
    (
        "non-profit",
        "QC",
        (
            "Pan-Canadian Peer Mentoring Coalition",
            "Coalition pancanadienne du mentorat par les pairs",
        ),
        (
            "Helps schools across Canada start peer mentoring programs.",
            "Aide les écoles de partout au Canada à lancer des programmes de mentorat par "
            "les pairs.",
        ),
    ),
    (
        "youth-led",
        "BC",
        ("Youth Mentoring Voices Canada", "Voix jeunesse du mentorat au Canada"),
        (
            "Young mentees and mentors from every region who advise the movement.",
            "Des jeunes, personnes mentorées et mentores de toutes les régions, qui "
            "conseillent le mouvement.",
        ),
    ),
    (
        "business",
        "AB",
        ("Canadian Employers for Mentoring", "Employeurs canadiens pour le mentorat"),
        (
            "Employers who give their staff time to mentor young people across Canada.",
            "Des employeurs qui donnent à leur personnel du temps pour mentorer des jeunes "
            "partout au Canada.",
        ),
    ),
]

DESCRIPTIONS = {
    "non-profit": [
        (
            "Matches young people aged 12 to 18 in {city} with trained volunteer mentors "
            "who meet them every week.",
            "Jumelle des jeunes de 12 à 18 ans, à {city_fr}, avec des personnes mentores "
            "bénévoles formées qu’ils rencontrent chaque semaine.",
        ),
        (
            "Runs group mentoring after school in {city}, with homework help and sports.",
            "Offre du mentorat de groupe après l’école à {city_fr}, avec aide aux devoirs "
            "et sports.",
        ),
    ],
    "funder": [
        (
            "Funds mentoring programs for young people in {city} and the region around it.",
            "Finance des programmes de mentorat pour les jeunes à {city_fr} et dans la région.",
        ),
        (
            "Gives multi-year grants to community organisations that support youth.",
            "Accorde des subventions pluriannuelles aux organismes communautaires qui "
            "soutiennent les jeunes.",
        ),
    ],
    "business": [
        (
            "Gives its employees paid time to mentor young people in {city}.",
            "Donne à son personnel du temps payé pour mentorer des jeunes à {city_fr}.",
        ),
        (
            "Hosts job-shadowing days and career mentoring for students.",
            "Accueille des journées d’observation en milieu de travail et du mentorat de "
            "carrière pour les élèves.",
        ),
    ],
    "government": [
        (
            "Runs youth services and funds local mentoring partners in {city}.",
            "Offre des services à la jeunesse et finance des partenaires de mentorat à {city_fr}.",
        ),
    ],
    "education": [
        (
            "Refers students to mentoring programs and hosts them in its schools in {city}.",
            "Oriente les élèves vers des programmes de mentorat et les accueille dans ses "
            "écoles à {city_fr}.",
        ),
    ],
    "research": [
        (
            "Studies what makes mentoring relationships last, with partners across the movement.",
            "Étudie ce qui fait durer les relations de mentorat, avec des partenaires de "
            "tout le mouvement.",
        ),
    ],
    "community": [
        (
            "Residents who organise mentoring and activities for young people in {city}.",
            "Des résidentes et résidents qui organisent du mentorat et des activités pour "
            "les jeunes du quartier, à {city_fr}.",
        ),
    ],
    "youth-led": [
        (
            "Run by young people in {city}, for young people: peer mentoring and leadership.",
            "Dirigé par des jeunes, pour les jeunes, à {city_fr}\u00a0: mentorat par les pairs "
            "et leadership.",
        ),
    ],
}

# Programs whose name says what they do get the matching description.
PROGRAM_DESCRIPTIONS = {
    "Newcomer Youth Mentors of {city}": (
        "Pairs newcomer youth in {city} with mentors who know the school system and the "
        "job market.",
        "Jumelle les jeunes nouvellement arrivés à {city_fr} avec des personnes mentores qui "
        "connaissent l’école et le marché du travail.",
    ),
    "{city} Peer Mentoring Alliance": (
        "Trains older students in {city} to mentor younger ones through the move to high school.",
        "Forme des élèves plus âgés, à {city_fr}, pour accompagner les plus jeunes dans le "
        "passage au secondaire.",
    ),
    "Career Mentors of {city}": (
        "Offers career mentoring to young adults in {city}, with local employers.",
        "Offre du mentorat de carrière aux jeunes adultes à {city_fr}, avec des employeurs "
        "de la région.",
    ),
    "{city} Indigenous Youth Mentorship": (
        "Pairs First Nations, Métis and Inuit youth in {city} with mentors from their own "
        "communities, with the guidance of Elders.",
        "Jumelle des jeunes des Premières Nations, métis et inuits, à {city_fr}, avec des "
        "personnes mentores de leurs communautés, guidées par des aînés.",
    ),
    "Mentoring Through Sport {city}": (
        "Volunteer coaches in {city} who mentor young people on and off the field.",
        "Des entraîneurs bénévoles qui mentorent des jeunes sur le terrain et en dehors, "
        "à {city_fr}.",
    ),
    "Girls Lead {city}": (
        "Matches girls and young women in {city} with women mentors in trades, science "
        "and business.",
        "Jumelle des filles et des jeunes femmes, à {city_fr}, avec des mentores des "
        "métiers, des sciences et des affaires.",
    ),
    "{province} Mentoring Network": (
        "Connects the mentoring programs of {province} and trains their volunteers.",
        "Relie les programmes de mentorat {de_province} et forme leurs bénévoles.",
    ),
}

SIZES = {
    "non-profit": ["volunteer", "1-9", "1-9", "10-49", "10-49", "50-249"],
    "funder": ["1-9", "10-49", "50-249"],
    "business": ["10-49", "50-249", "250+"],
    "government": ["50-249", "250+"],
    "education": ["50-249", "250+"],
    "research": ["1-9", "10-49"],
    "community": ["volunteer", "1-9"],
    "youth-led": ["volunteer", "1-9"],
}

# Parts of a city that tell two organisations of the same kind apart.
QUARTERS = [("North", "Nord"), ("East", "Est"), ("South", "Sud"), ("West", "Ouest")]


@dataclass
class Plan:
    sector: str
    province: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    served: list[str]
    size_band: str
    website: str
    is_public: bool
    slug: str | None = None


def _de(place: str) -> str:
    """French "of" before a place name, elided before a vowel or a mute h."""
    return f"d’{place}" if place[0] in "AEIOUÉÈÎHaeiouéèîh" else f"de {place}"


def _website(name: str) -> str:
    return f"https://example.org/{slugify(name)}"


def _quotas(provinces: list[Province], total: int) -> dict[str, int]:
    """Organisations per province, roughly by population, with at least two everywhere."""
    population = sum(p.population_2021 for p in provinces)
    return {p.code: max(2, round(total * p.population_2021 / population)) for p in provinces}


def _sectors(rng: random.Random, total: int) -> Iterator[str]:
    counts = {code: max(1, round(share * total)) for code, share in SECTOR_SHARES.items()}
    pool = [code for code, count in counts.items() for _ in range(count)]
    rng.shuffle(pool)
    while True:
        yield from pool
        rng.shuffle(pool)


def _served(rng: random.Random, province: str) -> list[str]:
    roll = rng.random()
    if roll < 0.15:
        return [province, *rng.sample(NEIGHBOURS[province], k=1)]
    return [province]


def _plans(rng: random.Random, provinces: list[Province]) -> list[Plan]:
    quotas = _quotas(provinces, TARGET_COUNT)
    taken: dict[str, set[str]] = {code: set() for code in quotas}
    plans: list[Plan] = []
    for sector, province, (name_en, name_fr), (description_en, description_fr) in NATIONAL:
        taken[province].update({name_en.lower(), name_fr.lower()})
        quotas[province] -= 1
        plans.append(
            Plan(
                sector=sector,
                province=province,
                name_en=name_en,
                name_fr=name_fr,
                description_en=description_en,
                description_fr=description_fr,
                served=list(PROVINCES),
                size_band=rng.choice(SIZES[sector]),
                website=_website(name_en),
                is_public=True,
            )
        )
    fixed = [
        ("NS", "Mentoring Circle of Halifax", "Cercle de mentorat d’Halifax", ["NS", "PE"]),
        ("QC", "Big Friends of Montréal", "Grands amis de Montréal", ["QC"]),
    ]
    for (province, name_en, name_fr, served), slug in zip(
        fixed, DEMO_STEWARD_ORGANISATIONS, strict=True
    ):
        taken[province].update({name_en.lower(), name_fr.lower()})
        quotas[province] -= 1
        city = "Halifax" if province == "NS" else "Montréal"
        description_en, description_fr = DESCRIPTIONS["non-profit"][0]
        plans.append(
            Plan(
                sector="non-profit",
                province=province,
                name_en=name_en,
                name_fr=name_fr,
                description_en=description_en.format(city=city),
                description_fr=description_fr.format(city_fr=city),
                served=served,
                size_band="10-49",
                website=_website(name_en),
                is_public=True,
                slug=slug,
            )
        )
    sectors = _sectors(rng, sum(quotas.values()))
    for code, count in quotas.items():
        for _ in range(count):
            sector = next(sectors)
            plans.append(_plan(rng, sector=sector, province=code, taken=taken[code]))
    return plans


def _plan(rng: random.Random, *, sector: str, province: str, taken: set[str]) -> Plan:
    province_en, de_province = PROVINCES[province]
    for attempt in range(40):
        city_en, city_fr = rng.choice(CITIES[province])
        pattern_en, pattern_fr = rng.choice(NAMES[sector])
        name_en = pattern_en.format(city=city_en, province=province_en)
        name_fr = pattern_fr.format(de_city=_de(city_fr), city=city_fr, de_province=de_province)
        if attempt >= 20:
            quarter_en, quarter_fr = rng.choice(QUARTERS)
            name_en, name_fr = f"{name_en} {quarter_en}", f"{name_fr} {quarter_fr}"
        if name_en.lower() not in taken and name_fr.lower() not in taken:
            break
    taken.update({name_en.lower(), name_fr.lower()})
    description_en, description_fr = PROGRAM_DESCRIPTIONS.get(pattern_en) or rng.choice(
        DESCRIPTIONS[sector]
    )
    places = {
        "city": city_en,
        "city_fr": city_fr,
        "province": province_en,
        "de_province": de_province,
    }
    # Quebec organisations are often known by their French name only; elsewhere a few
    # never gave a French one. The pages then show the other language, marked as such.
    only = rng.random()
    french_only = only < (0.3 if province == "QC" else 0.12 if province == "NB" else 0)
    english_only = not french_only and province != "QC" and only > 0.9
    size = rng.choice(SIZES[sector]) if rng.random() < 0.9 else ""
    return Plan(
        sector=sector,
        province=province,
        name_en="" if french_only else name_en,
        name_fr="" if english_only else name_fr,
        description_en="" if french_only else description_en.format(**places),
        description_fr="" if english_only else description_fr.format(**places),
        served=_served(rng, province),
        size_band=size,
        website=_website(name_en) if rng.random() < 0.85 else "",
        is_public=rng.random() >= 0.1,
    )


def load(*, rng: random.Random, out: DemoOutput) -> None:
    provinces = {p.code: p for p in Province.objects.all()}
    sectors = {s.code: s for s in Sector.objects.all()}
    backbone = OrganisationData(
        name_en="Mentoring Movement Canada – backbone team",
        name_fr="Mouvement canadien du mentorat – équipe de soutien",
        description_en="Coordinates the movement: shared measurement, meetings and "
        f"communication. {FICTIONAL_EN}",
        description_fr="Coordonne le mouvement\u00a0: mesure commune, rencontres et "
        f"communication. {FICTIONAL_FR}",
        sector=sectors["non-profit"],
        head_office_province=provinces["ON"],
        provinces_served=tuple(provinces.values()),
        website="https://example.org/",
        size_band=SizeBand.SMALL,
    )
    organisation_create(actor=SYSTEM, data=backbone, slug=BACKBONE_SLUG)
    plans = _plans(rng, list(provinces.values()))
    created: list[Organisation] = []
    for plan in out.progress(plans, "Organisations", total=len(plans)):
        data = OrganisationData(
            name_en=plan.name_en,
            name_fr=plan.name_fr,
            description_en=f"{plan.description_en} {FICTIONAL_EN}" if plan.name_en else "",
            description_fr=f"{plan.description_fr} {FICTIONAL_FR}" if plan.name_fr else "",
            sector=sectors[plan.sector],
            head_office_province=provinces[plan.province],
            provinces_served=tuple(provinces[code] for code in plan.served),
            size_band=plan.size_band,
            website=plan.website,
            is_public=plan.is_public,
        )
        organisation = organisation_create(actor=SYSTEM, data=data, slug=plan.slug)
        created.append(organisation)
    candidates = [o for o in created if o.slug not in DEMO_STEWARD_ORGANISATIONS]
    for organisation in rng.sample(candidates, k=ARCHIVED_COUNT):
        organisation_archive(actor=SYSTEM, organisation=organisation)


def is_loaded() -> bool:
    return Organisation.objects.filter(slug=BACKBONE_SLUG).exists()


def summary() -> list[str]:
    organisations = Organisation.objects.all()
    archived = organisations.filter(archived_at__isnull=False).count()
    private = organisations.filter(is_public=False).count()
    return [
        f"Organisations: {organisations.count()} ({private} private, {archived} archived); "
        f"data stewards report for {', '.join(DEMO_STEWARD_ORGANISATIONS)}; "
        f"backbone staff belong to '{BACKBONE_SLUG}'."
    ]
