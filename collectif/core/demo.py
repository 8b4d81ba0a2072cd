"""The demo movement's plumbing: each app's `demo.py` adds its part, in a fixed order.

An app's manifest names its loader: `load(*, rng: random.Random, out: DemoOutput)`. The
random generator is seeded once, so every run produces the same movement.
"""

import random
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.apps import apps as django_apps
from django.db import transaction
from tqdm import tqdm

from collectif.core.manifest import DemoLoader, DemoOutput, manifests

T = TypeVar("T")

DEFAULT_SEED = 2020_05_06  # the webinar's date: "Concevoir une collaboration nationale"


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
    for manifest in manifests():
        if manifest.reference is not None:
            manifest.reference(django_apps)


def demo_loaders() -> list[DemoLoader]:
    """Every app's demo loader, each after the apps it builds on."""
    return [manifest.demo for manifest in manifests() if manifest.demo is not None]


def load_demo(*, out: DemoOutput, seed: int = DEFAULT_SEED) -> None:
    rng = random.Random(seed)
    with transaction.atomic():
        for loader in demo_loaders():
            loader.load(rng=rng, out=out)
