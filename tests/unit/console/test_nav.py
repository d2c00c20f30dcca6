"""The menu bar's grouping: a role with few areas sees links, one with many sees a drop-down
per group it has two or more areas of, and only the deepest matching area is current."""

from __future__ import annotations

from cnnt_runtime.tokens import Role
from console.entrypoints.http import navigation
from console.web.nav import current_entry, menus


def bar(role: Role, path: str = "/") -> list[tuple[str | None, list[str], bool]]:
    entries = [e for e in navigation() if e.shown_to(role)]
    return [
        (m.label, [e.href for e in m.entries], m.current)
        for m in menus(entries, current_entry(entries, path))
    ]


def test_the_ministrys_areas_are_grouped_and_its_single_areas_stay_links() -> None:
    assert bar(Role.MINISTRY, "/dashboard") == [
        ("Judging rounds", ["/facilities", "/rounds", "/jury-progress"], False),
        ("Recognition", ["/certification", "/certification/certificates"], False),
        (None, ["/support"], False),
        ("Figures", ["/reports", "/dashboard"], True),
        (None, ["/admin/accounts"], False),
    ]


def test_roles_with_few_areas_see_plain_links() -> None:
    assert bar(Role.JUDGE, "/juries/abc") == [(None, ["/juries"], True)]
    assert bar(Role.CERTIFIER) == [
        (None, ["/certification"], False),
        (None, ["/certification/certificates"], False),
    ]
    assert [label for label, _, _ in bar(Role.PROVINCE_OFFICER)] == ["Judging rounds", None]


def test_only_the_deepest_area_is_current() -> None:
    entries = [e for e in navigation() if e.shown_to(Role.CERTIFIER)]
    current = current_entry(entries, "/certification/certificates")
    assert current is not None
    assert current.href == "/certification/certificates"
    assert current_entry(entries, "/certificationx") is None
    assert current_entry(entries, "/") is None
