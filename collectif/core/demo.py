"""The demo movement's plumbing: each app's `demo.py` adds its part, in a fixed order.

An app's module exposes `load(*, rng: random.Random, out: DemoOutput) -> None`. The
random generator is seeded once, so every run produces the same movement.
"""

import importlib
import random
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, TypeVar

from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from tqdm import tqdm

T = TypeVar("T")

DEFAULT_SEED = 2020_05_06  # the webinar's date: "Concevoir une collaboration nationale"


class DemoOutput(Protocol):
    def line(self, text: str) -> None: ...

    def progress(self, items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]: ...


class ConsoleOutput:
    """Prints progress bars to a terminal; quiet ones for tests."""

    def __init__(self, stream: Any, show_progress: bool = True) -> None:
        self.stream = stream
        self.show_progress = show_progress

    def line(self, text: str) -> None:
        self.stream.write(text)

    def progress(self, items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
        yield from tqdm(
            items, desc=label, total=total, disable=not self.show_progress, unit="", leave=True
        )


def load_reference_data() -> None:
    """Reference rows live in migrations; a flush removes them, so put them back."""
    from collectif.core.reference import load_provinces
    from collectif.ecosystem.reference import load_sectors
    from collectif.measurement.reference import load_dimensions

    load_provinces(django_apps)
    load_sectors(django_apps)
    load_dimensions(django_apps)


def demo_modules() -> list[Any]:
    return [importlib.import_module(name) for name in settings.COLLECTIF_DEMO_MODULES]


def load_demo(*, out: DemoOutput, seed: int = DEFAULT_SEED) -> None:
    rng = random.Random(seed)
    with transaction.atomic():
        for module in demo_modules():
            module.load(rng=rng, out=out)
