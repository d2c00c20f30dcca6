"""The console decides who may open which page only in ``service_layer/access.py`` (issue #15,
docs/architecture.md): every route that needs a signed-in person is guarded by one of its named
rules, every menu entry is shown to one of them, and no other module names a role or compares
one — read from the source (ast) and from the app's routes, so a new shortcut fails here. That
the menu shows each role exactly what the guards let it open is
``tests/integration/console/test_menu_matches_routes.py``."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from cnnt_runtime.tokens import Role
from console.entrypoints.http import routers
from console.service_layer import access
from console.web.session import current_account, roles

CONSOLE = Path(access.__file__).resolve().parents[1]
ACCESS = Path(access.__file__).resolve()
RULES = {name: rule for name, rule in vars(access).items() if isinstance(rule, frozenset)}
# The calls that take a rule, and the position of the rule among their arguments.
TAKES_A_RULE = {"roles": 0, "item": 2}
ROLE_IN_TEMPLATE = re.compile(r"\.role\b(?!\.value)|\bRole\.")
# The guard applying a rule (``roles``, a FastAPI dependency, so in web/): the one comparison of
# a role outside access.py.
MECHANISM = ("console/web/session.py", "account.role not in rule")


def checked_modules(root: Path) -> list[Path]:
    layers = [*root.glob("entrypoints/**/*.py"), *root.glob("web/*.py")]
    layers += root.glob("service_layer/*.py")
    return sorted(p for p in layers if p.name != "access.py")


def _named_rule(node: ast.expr, names: set[str]) -> bool:
    """``access.MAY_X`` with MAY_X a rule of access.py."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "access"
        and node.attr in names
    )


def decisions(path: Path, root: Path, names: set[str]) -> list[str]:
    """Each place in the module that decides by role itself, as ``module.py:line …``: a role
    named (``Role.X``), a role compared (``account.role is …``), or a guard or menu entry given
    anything but a rule of access.py."""
    where = path.relative_to(root.parent)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Role"
        ):
            found.append(f"{where}:{node.lineno} Role.{node.attr}")
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if (str(where), ast.unparse(node)) == MECHANISM:
                continue
            if any(isinstance(s, ast.Attribute) and s.attr == "role" for s in sides):
                found.append(f"{where}:{node.lineno} compares a role")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in TAKES_A_RULE:
                position = TAKES_A_RULE[name]
                given = node.args[position] if len(node.args) > position else None
                if given is None or not _named_rule(given, names) or len(node.args) > position + 1:
                    found.append(f"{where}:{node.lineno} {name}(…) without a rule of access.py")
    return found


def template_decisions(root: Path) -> list[str]:
    found = []
    for path in sorted(root.glob("templates/**/*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ROLE_IN_TEMPLATE.search(line):
                found.append(f"{path.relative_to(root.parent)}:{number} decides by role")
    return found


def test_the_rules_are_named_sets_of_roles() -> None:
    assert {"SIGNED_IN", "MAY_ORGANISE", "MAY_JUDGE", "MAY_CERTIFY", "MAY_OPERATE"} <= set(RULES)
    assert all(rule and all(isinstance(r, Role) for r in rule) for rule in RULES.values())


def test_no_console_module_but_access_decides_by_role() -> None:
    names = set(RULES)
    outside = [d for path in checked_modules(CONSOLE) for d in decisions(path, CONSOLE, names)]
    outside += template_decisions(CONSOLE)
    assert outside == [], "make these a rule of console/service_layer/access.py:\n" + "\n".join(
        outside
    )


def test_the_scan_finds_a_role_named_compared_or_listed_inline(tmp_path: Path) -> None:
    root = tmp_path / "console"
    (root / "entrypoints" / "http").mkdir(parents=True)
    (root / "service_layer").mkdir()
    (root / "templates" / "area").mkdir(parents=True)
    (root / "service_layer" / "access.py").write_text("MAY = frozenset({Role.MINISTRY})\n")
    (root / "entrypoints" / "http" / "area.py").write_text(
        "NAV = [item('Area', '/area', Role.MINISTRY, group=X)]\n"
        "Ok = Depends(roles(access.MAY))\n"
        "Inline = Depends(roles(frozenset({1})))\n"
        "Unknown = Depends(roles(access.MAY_NOT))\n"
        "if account.role is not None: pass\n"
    )
    (root / "templates" / "area" / "page.html").write_text(
        '{{ label("role", a.role.value) }}\n{% if account.role == "ministry" %}x{% endif %}\n'
    )
    found = [d for path in checked_modules(root) for d in decisions(path, root, {"MAY"})]
    assert sorted(found + template_decisions(root)) == [
        "console/entrypoints/http/area.py:1 Role.MINISTRY",
        "console/entrypoints/http/area.py:1 item(…) without a rule of access.py",
        "console/entrypoints/http/area.py:3 roles(…) without a rule of access.py",
        "console/entrypoints/http/area.py:4 roles(…) without a rule of access.py",
        "console/entrypoints/http/area.py:5 compares a role",
        "console/templates/area/page.html:2 decides by role",
    ]


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def test_every_route_that_needs_a_signed_in_person_is_guarded_by_a_rule() -> None:
    guards = {roles(rule): name for name, rule in RULES.items()}
    signed_in = []
    unguarded = []
    for route in (r for router in routers() for r in router.routes):
        assert isinstance(route, APIRoute)
        calls = list(_calls(route.dependant))
        if current_account not in calls:
            continue
        signed_in.append(route.path)
        own = {sub.call for sub in route.dependant.dependencies}
        if not own & guards.keys():
            unguarded.append(f"{sorted(route.methods or ())} {route.path}")
    assert unguarded == [], "guard these with roles(access.<rule>):\n" + "\n".join(unguarded)
    assert {"/", "/password", "/rounds", "/jury-progress/{round_id}", "/admin/accounts"} <= set(
        signed_in
    )
    # The public pages stay public.
    assert not {"/login", "/verify/{number}"} & set(signed_in)
