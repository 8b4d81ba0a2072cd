"""Breakdown keys: the canonical text of the dimension members a value refers to.

``{"province": "QC", "age": "12-17"}`` ↔ ``"age:12-17|province:QC"``. Dimension codes are
sorted so one set of members always gives one key; the total is the empty string.
"""

from collections.abc import Mapping

SEPARATOR = "|"


def make_key(members: Mapping[str, str]) -> str:
    return SEPARATOR.join(f"{dim}:{code}" for dim, code in sorted(members.items()) if code)


def parse_key(key: str) -> dict[str, str]:
    if not key:
        return {}
    members: dict[str, str] = {}
    for part in key.split(SEPARATOR):
        dim, _, code = part.partition(":")
        members[dim] = code
    return members


def without(members: Mapping[str, str], dimension: str) -> dict[str, str]:
    return {dim: code for dim, code in members.items() if dim != dimension}


# The dimension whose members are provinces and territories; results roll up by region.
PROVINCE = "province"
