"""Project-wide test configuration."""

from hypothesis import settings

# Property tests run on a loaded 2-core CI machine: no per-example deadline.
settings.register_profile("collectif", deadline=None, max_examples=100)
settings.load_profile("collectif")
