"""Role-aware navigation: each area declares its menu entries next to its routes, each shown to
the rule of ``console.service_layer.access`` its route admits (never a role list of its own).

An entry may name a ``group`` (a message id): when a role sees more entries than fit in one
line, the entries of a group it sees two or more of are drawn as one drop-down menu under the
group's name, the others as plain links. A role with only a few entries sees them all as links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnt_runtime.tokens import Role
from console.web.i18n import N_

# The menus areas share (their entries in the areas' order).
SELECTION = N_("Judging rounds")  # rounds, facilities, juries and their judging
RECOGNITION = N_("Recognition")  # results, decisions and certificates
FIGURES = N_("Figures")  # reports and the national dashboard
OPERATIONS = N_("Operations")  # dead letters and the audit log

FLAT_UP_TO = 3  # a role with this many entries or fewer sees them all as links


@dataclass(frozen=True)
class NavItem:
    label: str  # a message id, translated when the menu is drawn
    href: str
    roles: frozenset[Role]
    group: str | None = None  # a message id; entries of one group share a drop-down menu

    def shown_to(self, role: Role) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Menu:
    """One place in the menu bar: a plain link (``label`` None, one entry) or a drop-down."""

    label: str | None
    entries: tuple[NavItem, ...]
    current: bool  # the page shown is one of its entries


def item(label: str, href: str, rule: frozenset[Role], *, group: str | None = None) -> NavItem:
    """A menu entry shown to the roles of ``rule``: the one the route at ``href`` admits."""
    return NavItem(label, href, rule, group)


def current_entry(entries: Sequence[NavItem], path: str) -> NavItem | None:
    """The entry of the page at ``path``: the longest href that is the path or its parent, so
    /certification/certificates is Certificates, not also Results and certificates."""
    matching = [e for e in entries if path == e.href or path.startswith(e.href.rstrip("/") + "/")]
    return max(matching, key=lambda e: len(e.href), default=None)


def menus(entries: Sequence[NavItem], current: NavItem | None) -> list[Menu]:
    """The menu bar of a role that sees ``entries`` (in the areas' order), groups where due."""
    if len(entries) <= FLAT_UP_TO:
        return [Menu(None, (e,), e == current) for e in entries]
    grouped: dict[str, list[NavItem]] = {}
    for entry in entries:
        grouped.setdefault(entry.group or entry.href, []).append(entry)
    bar = []
    for key, members in grouped.items():
        label = key if len(members) > 1 else None
        bar.append(Menu(label, tuple(members), current in members))
    return bar
