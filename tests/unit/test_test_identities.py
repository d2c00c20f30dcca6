"""No test draws an identity by chance: the whole suite shares one database per run, so a year,
code or name taken from ``random`` or cut out of a uuid4 (``uuid4().int % n``,
``uuid4().hex[:6]``) meets another test's sooner or later, and main then lands or not by chance
(issue 27). Identities come from tests/support/identities.py; this reads every file under
tests/ (``ast``) and names each place that takes one by chance."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support import identities, stack

TESTS = Path(__file__).resolve().parents[1]

# The places that take chance on purpose, and why none of them names a test's identity.
ALLOWED: dict[str, str] = {
    # The run's own name: it must differ from every other run on the machine (other people's
    # test runs share its PostgreSQL and RabbitMQ), which nothing in a test can tell.
    "support/stack.py": "the private stack's name",
    # A real cluster's Erlang cookie and its nodes' names, for the fault tests' own brokers.
    "support/cluster.py": "an Erlang cookie and the cluster's node names",
    # Secret values for rendered manifests: passwords, never identities.
    "unit/shared/test_k8s_manifests.py": "secret values",
    "compose_smoke/checks.py": "a password the smoke signs in with",
}

UUID_MAKERS = {"uuid1", "uuid4"}
# What cuts a uuid down to something small enough to meet another: its number, a few of its hex
# digits (the whole ``.hex`` is the uuid itself, written without dashes).
NUMBERS = {"int", "fields", "time_low", "time_mid", "node", "clock_seq"}
DIGITS = {"hex", "bytes"}


def _is_uuid_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in UUID_MAKERS


def violations(source: str) -> list[tuple[int, str]]:
    """Each line that takes a year, code or name by chance, and what it does."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    # Names bound to a fresh uuid (``facility = uuid.uuid4()``): cutting them counts too.
    drawn = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _is_uuid_call(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            )
            if "secrets" in modules:
                found.append((node.lineno, "imports secrets"))
            if isinstance(node, ast.ImportFrom) and node.module == "random":
                found.append((node.lineno, "imports from random"))
        elif isinstance(node, ast.Attribute | ast.Subscript):
            cut = node if isinstance(node, ast.Attribute) else node.value
            wanted = NUMBERS if isinstance(node, ast.Attribute) else DIGITS
            if not isinstance(cut, ast.Attribute) or cut.attr not in wanted:
                continue
            value = cut.value
            if _is_uuid_call(value) or (isinstance(value, ast.Name) and value.id in drawn):
                found.append((node.lineno, f"cuts a uuid down (.{cut.attr})"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "random":
                seeded = node.func.attr == "Random" and bool(node.args)  # Random(seed)
                if not seeded:
                    found.append((node.lineno, f"random.{node.func.attr}: chance"))
    return sorted(found)


def test_no_file_under_tests_takes_an_identity_by_chance() -> None:
    found = {
        f"{path.relative_to(TESTS)}:{line}": what
        for path in sorted(TESTS.rglob("*.py"))
        if path.relative_to(TESTS).as_posix() not in ALLOWED
        for line, what in violations(path.read_text(encoding="utf-8"))
    }
    assert found == {}, "take identities from tests/support/identities.py"


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("import uuid\nyear = 2000 + uuid.uuid4().int % 100", "cuts a uuid down (.int)"),
        ("from uuid import uuid4\ncode = f'MST-{uuid4().hex[:10]}'", "cuts a uuid down (.hex)"),
        ("import uuid\nf = uuid.uuid4()\nc = f'OLD-{f.hex[:10]}'", "cuts a uuid down (.hex)"),
        ("import random\nyear = random.randint(2000, 2100)", "random.randint: chance"),
        ("import random\nrandom.Random().shuffle(x)", "random.Random: chance"),
        ("from random import choice", "imports from random"),
        ("import secrets\nname = secrets.token_hex(3)", "imports secrets"),
    ],
)
def test_the_check_names_each_way_of_drawing_by_chance(source: str, what: str) -> None:
    assert [w for _, w in violations(source)] == [what]


@pytest.mark.parametrize(
    "source",
    [
        "import uuid\nentry_id = uuid.uuid4()",  # a whole uuid4 is an id that never meets
        "import uuid\nkey = str(uuid.uuid4())",
        "import uuid\nr = uuid.uuid4()\nname = f'refuse_{r.hex}'",  # the whole uuid, undashed
        "import random\nrandom.Random(9).shuffle(jobs)",  # a seeded shuffle: the same each run
        "from tests.support import identities\ncode = identities.code('MST')",
    ],
)
def test_the_check_lets_whole_uuids_seeded_shuffles_and_the_allocator_be(source: str) -> None:
    assert violations(source) == []


def test_the_allocator_hands_out_none_of_the_years_other_tests_hold() -> None:
    """The years tests take on purpose (the demo's 2017-2021, the four levels' 2019, 2024 and
    2026, the merger's, this year) and the years held for other branches (2070-2099) are never
    handed out, at any level, in any scope."""
    held = set(range(2017, 2027)) | set(range(2070, 2100)) | {identities.THIS_YEAR}
    assert held.isdisjoint(identities.POOL)
    allocator = identities.Allocator()
    allocator.begin("tests/unit/test_test_identities.py::probe")
    years: dict[str, list[int]] = {"dak-lak": [], "bac-kan": []}
    for scope, found in years.items():
        free = len(identities.POOL)
        found += [allocator.round_year("provincial", scope) for _ in range(free)]
        with pytest.raises(identities.Taken, match="no year left"):
            allocator.round_year("provincial", scope)
        assert len(set(found)) == len(found)
        assert held.isdisjoint(found)
    assert sorted(years["dak-lak"]) == sorted(years["bac-kan"]) == sorted(identities.POOL)


def test_a_second_claim_of_an_identity_fails_naming_both_tests() -> None:
    allocator = identities.Allocator()
    allocator.begin("tests/a.py::one")
    allocator.username("sct.lockout")
    allocator.begin("tests/b.py::two")
    with pytest.raises(identities.Taken, match=r"tests/a\.py::one.*tests/b\.py::two"):
        allocator.username("sct.lockout")
    with pytest.raises(identities.Taken, match="demo"):
        allocator.username("sct.daklak")  # the demo's account (issue 17's collision)


def test_a_later_pass_on_a_kept_database_takes_none_of_the_earlier_passes_identities() -> None:
    first = identities.Allocator()
    first.begin("tests/a.py::one")
    year, code, name = first.round_year("provincial", "dak-lak"), first.code("MST"), "sct.x"
    first.username(name)
    second = identities.Allocator()
    second.resume(2, first.owned())
    second.begin("tests/a.py::one")
    assert second.round_year("provincial", "dak-lak") != year
    assert second.code("MST") != code
    assert second.username(name) == "sct.x.2"


@pytest.mark.parametrize("name", ["0123456789", "abcdef0123", "a"])
def test_a_run_name_of_lower_case_letters_and_digits_is_taken_whatever_it_draws(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(stack.STACK_NAME, name)
    assert stack._stack_name() == name


@pytest.mark.parametrize("name", ["ABC", "a-b", "a" * 21])
def test_a_run_name_with_other_characters_is_refused(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(stack.STACK_NAME, name)
    with pytest.raises(ValueError, match="lower-case letters and digits"):
        stack._stack_name()
