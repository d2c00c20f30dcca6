"""Every error code a service can answer with has a message of the console's own, and the
services' own messages are Vietnamese.

The codes are walked, not listed: the domain errors raised in the services' and the runtime's
source (``DomainError`` and its subclasses, the import's row problems, the contracts' refusals),
and the validation failures the services' OpenAPI documents allow (a bound, a pattern, a type
each give pydantic's error type, answered as ``invalid_<type>``). A new code without a console
message fails here, instead of showing people "Yêu cầu bị từ chối (code)" and English.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from cnnt_contracts import identifiers
from cnnt_runtime.components import load_spec
from cnnt_runtime.http.app import create_app
from cnnt_runtime.settings import SERVICE_NAMES, Settings
from console.web import i18n
from console.web.errors import MESSAGES, error_message

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [
    *(ROOT / "services" / name / name for name in SERVICE_NAMES),
    ROOT / "shared" / "runtime" / "cnnt_runtime",
    ROOT / "shared" / "contracts" / "cnnt_contracts",
]
CODE = re.compile(r"[a-z][a-z0-9_]*")
ERROR_CLASSES = {"DomainError", "NotFound", "Conflict", "Forbidden", "Unauthorized"}
VIETNAMESE = re.compile(r"[ăâđêôơưàáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]")


@cache
def _trees() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for source in SOURCES
        for path in sorted(source.rglob("*.py"))
    }


def _error_classes() -> set[str]:
    """DomainError and every class deriving from it, in any of the sources."""
    found = set(ERROR_CLASSES)
    grew = True
    while grew:
        grew = False
        for tree in _trees().values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in found:
                    bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                    if bases & found:
                        found.add(node.name)
                        grew = True
    return found


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        t.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for t in node.targets
        if isinstance(t, ast.Name) and isinstance(node.value.value, str)
    }


def _called(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _row_kinds() -> set[str]:
    """The ``what`` of ``uow.row(…, what=…)``: each gives a 404 ``<what>_not_found``."""
    return {
        k.value.value
        for tree in _trees().values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _called(node) == "row"
        for k in node.keywords
        if k.arg == "what" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)
    }


def _refusal_codes(tree: ast.Module) -> set[str]:
    """What a ``*_refusal`` function returns: the contracts' rules answered as codes."""
    return {
        r.value.value
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef) and fn.name.endswith("refusal")
        for r in ast.walk(fn)
        if isinstance(r, ast.Return) and isinstance(r.value, ast.Constant)
        if isinstance(r.value.value, str)
    }


def domain_codes() -> set[str]:
    classes = _error_classes()
    codes: set[str] = set()
    for tree in _trees().values():
        named = _constants(tree)
        codes |= _refusal_codes(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = _called(node)
            # A row problem of the dossier import: row.fail(column, code, message).
            row_problem = isinstance(node.func, ast.Attribute) and called == "fail"
            arg = 0 if called in classes else 1 if row_problem else None
            if arg is None or len(node.args) <= arg:
                continue
            first = node.args[arg]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                codes.add(first.value)
            elif isinstance(first, ast.Name) and first.id in named:
                codes.add(named[first.id])
            elif isinstance(first, ast.JoinedStr) and ast.unparse(first) == "f'{what}_not_found'":
                codes |= {f"{what}_not_found" for what in _row_kinds()}
    codes |= {f"invalid_{kind}" for kind in identifiers.RULES}
    return {c for c in codes if CODE.fullmatch(c)}  # a code, not a configuration error's text


def _schemas(node: Any, components: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every schema in a request's body or parameter, references followed."""
    if isinstance(node, dict):
        if "$ref" in node:
            yield from _schemas(components[node["$ref"].rsplit("/", 1)[-1]], components)
            return
        yield node
        for value in node.values():
            yield from _schemas(value, components)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value, components)


# What a request's schema allows a client to get wrong, as pydantic's error types.
KEYWORD_TYPES = {
    "maxLength": ["string_too_long"],
    "minLength": ["string_too_short"],
    "pattern": ["string_pattern_mismatch"],
    "enum": ["enum"],
    "maximum": ["less_than_equal"],
    "minimum": ["greater_than_equal"],
    "exclusiveMaximum": ["less_than"],
    "exclusiveMinimum": ["greater_than"],
    "maxItems": ["too_long"],
    "minItems": ["too_short"],
    "required": ["missing"],
}
TYPE_TYPES = {
    "integer": ["int_parsing", "int_type", "int_from_float"],
    "number": ["decimal_parsing", "float_parsing"],
    "boolean": ["bool_parsing", "bool_type"],
    "string": ["string_type"],
    "array": ["list_type"],
}
FORMAT_TYPES = {
    "uuid": ["uuid_parsing"],
    "date": ["date_parsing", "date_from_datetime_parsing"],
    "date-time": ["datetime_parsing", "datetime_from_date_parsing", "timezone_aware"],
}


@cache
def validation_codes() -> set[str]:
    kinds = {"missing"}  # a required parameter
    for service in SERVICE_NAMES:
        document = create_app(load_spec(service), Settings()).openapi()
        components = document.get("components", {}).get("schemas", {})
        for item in document["paths"].values():
            for operation in item.values():
                inputs = [operation.get("requestBody"), operation.get("parameters")]
                for schema in _schemas(inputs, components):
                    for keyword, types in KEYWORD_TYPES.items():
                        if keyword in schema:
                            kinds.update(types)
                    kinds.update(TYPE_TYPES.get(schema.get("type", ""), []))
                    kinds.update(FORMAT_TYPES.get(schema.get("format", ""), []))
                    if schema.get("const") is not None:
                        kinds.add("literal_error")
                    if schema.get("additionalProperties") is False:
                        kinds.add("extra_forbidden")
    return {f"invalid_{kind}" for kind in kinds} | {"validation_failed", "malformed_json"}


def test_the_walk_finds_the_codes_people_met() -> None:
    """The walk is not empty-handed: the codes of the issue's examples are among its finds."""
    found = domain_codes() | validation_codes()
    assert {
        "role_not_allowed",
        "facility_not_found",
        "entries_still_arriving",
        "score_not_a_half_step",
        "value_missing",
        "invalid_tax_code",
        "invalid_string_too_long",
        "invalid_uuid_parsing",
    } <= found


def test_every_code_a_service_answers_has_a_console_message() -> None:
    missing = sorted((domain_codes() | validation_codes()) - set(MESSAGES))
    assert missing == [], f"codes without a console message (console/web/errors.py): {missing}"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_unknown_code_never_shows_a_service_text(language: str) -> None:
    token = i18n.language.set(language)
    try:
        shown = error_message("some_future_code", "String should match pattern '^[0-9]*$'")
    finally:
        i18n.language.reset(token)
    assert "String should match" not in shown
    assert "^[0-9]" not in shown


def test_the_services_own_messages_are_vietnamese() -> None:
    """Each message a domain error is raised with is Vietnamese (it has a Vietnamese letter),
    for a client of the API reads it too."""
    classes = _error_classes()
    english: list[str] = []
    for path, tree in _trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) in classes and len(node.args) > 1:
                message = node.args[1]
                texts = [
                    n.value
                    for n in ast.walk(message)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
                if texts and not any(VIETNAMESE.search(t) for t in texts):
                    english.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(message)}")
    assert english == []
