"""Who may open which area of the console, and what a signed-in person sees by default.

Each area's rule is a named set of roles (a ``Rule``): its routes admit it through
``console.web.session.roles(rule)`` and its menu entries are shown to it
(``console.web.nav.item(…, rule)``), so the menu never offers a page the role cannot open. The
services decide again on every call (each their own ``access.py``); these rules decide which
pages the console draws. No other console module names a role
(``tests/unit/console/test_access_rules.py`` reads the source and fails on one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cnnt_contracts.vocabulary import NATION_SCOPE
from cnnt_runtime.tokens import Role
from console.domain.accounts import Account
from console.web.services import ServiceRefused

Rule = frozenset[Role]

# Any account: its start page, its password, signing out.
SIGNED_IN: Rule = frozenset(Role)
# The organisers of the selection (Sở Công Thương, the ministry): facilities, rounds, dossier
# imports and the juries' progress.
MAY_ORGANISE: Rule = frozenset({Role.PROVINCE_OFFICER, Role.MINISTRY})
# A judge: their juries, their worklists and score sheets.
MAY_JUDGE: Rule = frozenset({Role.JUDGE})
# One jury's progress, recusals and closing: its organisers, or a judge who chairs it
# (``authorise_chair``, on the judge's seat).
MAY_FOLLOW_A_JURY: Rule = MAY_ORGANISE | MAY_JUDGE
# Results, decisions and certificates.
MAY_CERTIFY: Rule = frozenset({Role.CERTIFIER, Role.MINISTRY})
# An entry's dossier files: the desk, the round's jury, certifiers (registration decides which
# entries each may read, docs/read-policy.md).
MAY_READ_DOSSIERS: Rule = MAY_ORGANISE | MAY_JUDGE | MAY_CERTIFY
# Khuyến công support schemes, read.
MAY_READ_SUPPORT: Rule = frozenset({Role.SUPPORT_OFFICER, Role.MINISTRY})
# Running a scheme's allocation and granting an application.
MAY_ALLOCATE_SUPPORT: Rule = frozenset({Role.SUPPORT_OFFICER})
# The reports (tables, CSV, XLSX, chart).
MAY_READ_REPORTS: Rule = frozenset({Role.MINISTRY, Role.PROVINCE_OFFICER})
# The national dashboard.
MAY_SEE_THE_NATION: Rule = frozenset({Role.MINISTRY})
# Creating, disabling and enabling accounts.
MAY_ADMINISTER_ACCOUNTS: Rule = frozenset({Role.MINISTRY})
# Dead-letter queues and the audit log.
MAY_OPERATE: Rule = frozenset({Role.OPERATOR})


def may_allocate_support(account: Account) -> bool:
    """Whether the scheme page offers the allocation and grant buttons."""
    return account.role in MAY_ALLOCATE_SUPPORT


def province_held_to(account: Account) -> str | None:
    """The province a province officer's lists (facilities, rounds) are held to and their new
    facility or round starts with; ``None`` for the ministry, who sees every province."""
    return account.scope if account.role is Role.PROVINCE_OFFICER else None


def rounds_scope(account: Account) -> str | None:
    """The scope whose rounds the jury and certification pages list: the account's own, or
    ``None`` (every round) for an account over the whole country."""
    return None if account.scope == NATION_SCOPE else account.scope


def may_choose_report_scope(account: Account) -> bool:
    """The ministry reports on the nation, a region or any province; others on their own."""
    return account.role is Role.MINISTRY


def default_report_scope(account: Account) -> str:
    return NATION_SCOPE if may_choose_report_scope(account) else account.scope


def acts_from_a_seat(account: Account) -> bool:
    """A judge acts on a jury's progress from their seat on it (a token for that member);
    an organiser acts as themself."""
    return account.role in MAY_JUDGE


def authorise_chair(seat: Mapping[str, Any]) -> None:
    """Of a jury's members, only its chair follows its progress, recuses and closes judging."""
    if not seat["is_chair"]:
        raise ServiceRefused(403, "chair_only", "", None)
