"""Authorisation lives in each service's ``service_layer/access.py`` (docs/architecture.md):
no other module of a service layer or of the entrypoints asks a principal for a role or scope
(``Principal.require…``) or refuses with ``Forbidden`` itself; they call access.py's functions,
named for the permission. Read from the source (ast), so a new shortcut fails here."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from cnnt_runtime.tokens import Principal

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ROOT / "services"

# Every check a principal makes on itself: require, require_province, and any added later.
PRINCIPAL_CHECKS = frozenset(
    name
    for name, _ in inspect.getmembers(Principal, inspect.isfunction)
    if name.startswith("require")
)


def checked_modules(root: Path) -> list[Path]:
    layers = [*root.glob("*/*/service_layer/*.py"), *root.glob("*/*/entrypoints/**/*.py")]
    return sorted(p for p in layers if p.name != "access.py")


def decisions(path: Path, root: Path) -> list[str]:
    """Each call in the module that decides who may act: ``x.require…(…)`` or ``Forbidden(…)``,
    as ``services/…/module.py:line``."""
    where = path.relative_to(root.parent)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if isinstance(func, ast.Attribute) and name in PRINCIPAL_CHECKS:
            found.append(f"{where}:{node.lineno} .{name}(…)")
        elif name == "Forbidden":
            found.append(f"{where}:{node.lineno} Forbidden(…)")
    return found


def test_the_scan_sees_every_service_and_the_principals_checks() -> None:
    modules = checked_modules(SERVICES)
    services = {p.relative_to(SERVICES).parts[0] for p in modules}
    assert services == {"registration", "evaluation", "certification", "support", "console"}
    assert {"require", "require_province"} <= PRINCIPAL_CHECKS


def test_no_service_layer_or_entrypoint_module_but_access_decides_who_may_act() -> None:
    outside = [d for path in checked_modules(SERVICES) for d in decisions(path, SERVICES)]
    assert outside == [], "move these into the service's service_layer/access.py:\n" + "\n".join(
        outside
    )


def test_the_scan_finds_a_principal_check_and_a_refusal(tmp_path: Path) -> None:
    layer = tmp_path / "services" / "demo" / "demo" / "service_layer"
    layer.mkdir(parents=True)
    (layer / "access.py").write_text("def allowed(who):\n    who.require(Role.MINISTRY)\n")
    (layer / "things.py").write_text(
        "def act(who):\n"
        "    who.require(Role.MINISTRY)\n"
        "    who.require_province('thai-nguyen')\n"
        "    raise errors.Forbidden('no', 'no')\n"
    )
    root = tmp_path / "services"
    found = [d for path in checked_modules(root) for d in decisions(path, root)]
    assert found == [
        "services/demo/demo/service_layer/things.py:2 .require(…)",
        "services/demo/demo/service_layer/things.py:3 .require_province(…)",
        "services/demo/demo/service_layer/things.py:4 Forbidden(…)",
    ]
