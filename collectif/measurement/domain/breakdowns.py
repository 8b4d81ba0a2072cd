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

# Where a member stands and what it is called: (dimension position, member position, name).
MemberPlace = tuple[int, int, str]
# After every known member: a breakdown naming a member removed since.
_UNKNOWN = 1 << 16


class BreakdownWords:
    """Breakdowns as people read them, in the order they expect.

    "age:12-17" is "12 to 17 years"; keys sort the total first, then by dimension, then
    by each member's defined position (6-11 before 12-17, provinces from east to west
    as Statistics Canada lists them), never as text.
    """

    def __init__(self, members: Mapping[tuple[str, str], MemberPlace]) -> None:
        self.members = members

    def _place(self, dimension: str, code: str) -> MemberPlace:
        return self.members.get((dimension, code), (_UNKNOWN, _UNKNOWN, code))

    def words(self, key: str) -> str:
        """The members' names, "" for the total."""
        places = sorted(self._place(dim, code) for dim, code in parse_key(key).items())
        return ", ".join(name for _dim, _member, name in places)

    def sort_key(self, key: str) -> tuple[tuple[int, int, str], ...]:
        return tuple(sorted(self._place(dim, code) for dim, code in parse_key(key).items()))
