"""Every area's routes and menu entries, registered in one place.

An area is a module here with a module-level ``router`` (and optionally ``NAV``, its menu
entries); its templates live in ``templates/<area>/``. Adding an area is adding its module to
``AREAS``.
"""

from __future__ import annotations

from types import ModuleType

from fastapi import APIRouter

from console.entrypoints.http import (
    admin,
    auth,
    certify,
    dashboard,
    dossiers,
    facilities,
    home,
    imports,
    judging,
    juries,
    jury,
    operations,
    reports,
    rounds,
    support,
    verify,
)
from console.web.nav import NavItem

AREAS: tuple[ModuleType, ...] = (
    auth,
    home,
    facilities,
    rounds,
    dossiers,
    imports,
    juries,
    judging,
    jury,
    certify,
    verify,
    support,
    reports,
    dashboard,
    operations,
    admin,
)


def routers() -> list[APIRouter]:
    return [area.router for area in AREAS]


def navigation() -> list[NavItem]:
    return [entry for area in AREAS for entry in getattr(area, "NAV", ())]
