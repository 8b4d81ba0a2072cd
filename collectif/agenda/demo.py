"""The demo movement's strategic plan: the original 2022–2027 plan and its 2024 revision.

Loaded through agenda's own services, as the system, so the demo's audit log shows how
the plans came to be; measurement's demo then sets targets against both.
"""

import random
from datetime import date

from collectif.agenda import selectors
from collectif.agenda.models import PlanVersion
from collectif.agenda.services import PlanVersionData, plan_version_create
from collectif.core.actors import SYSTEM
from collectif.core.manifest import DemoOutput

PLANS = [
    PlanVersionData(
        number=1,
        name_en="Strategic plan 2022–2027 (original)",
        name_fr="Plan stratégique 2022-2027 (original)",
        adopted_on=date(2021, 11, 18),
        is_original=True,
    ),
    PlanVersionData(
        number=2,
        name_en="Strategic plan 2022–2027 (revised in 2024)",
        name_fr="Plan stratégique 2022-2027 (révisé en 2024)",
        adopted_on=date(2024, 6, 12),
        is_current=True,
        notes_en="Targets lowered after the 2024 funding cuts in Ontario.",
        notes_fr="Cibles abaissées après les compressions de 2024 en Ontario.",
    ),
]


def load(*, rng: random.Random, out: DemoOutput) -> None:
    for data in PLANS:
        plan_version_create(actor=SYSTEM, data=data)
    out.line(f"Agenda: {len(PLANS)} versions of the strategic plan.")


def is_loaded() -> bool:
    return selectors.plan_version_count() > 0


def original_and_current() -> tuple[PlanVersion, PlanVersion]:
    """The demo's two plans, for the apps that set targets against them."""
    plans = {plan.number: plan for plan in selectors.plan_version_list()}
    return plans[1], plans[2]
