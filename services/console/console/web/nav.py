"""Role-aware navigation: each area declares its menu entries next to its routes."""

from __future__ import annotations

from dataclasses import dataclass

from cnnt_shared.tokens import Role


@dataclass(frozen=True)
class NavItem:
    label: str  # a message id, translated when the menu is drawn
    href: str
    roles: frozenset[Role]

    def shown_to(self, role: Role) -> bool:
        return role in self.roles


def item(label: str, href: str, *roles: Role) -> NavItem:
    return NavItem(label, href, frozenset(roles))
