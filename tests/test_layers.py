"""The layering of STYLE.md, read from the imports: pure code knows nothing
of Flask or the database, and inner layers never import outer ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "betterway_map"
PURE = ["geo", "measures", "schedule", "demo", "maps", "network", "vocab.py"]
FORBIDDEN_IN_PURE = (
    "flask",
    "sqlalchemy",
    "flask_sqlalchemy",
    "betterway_map.models",
    "betterway_map.services",
    "betterway_map.web",
    "betterway_map.extensions",
)
RELATIVE_FORBIDDEN = ("models", "services", "web", "extensions", "cli")


def _modules(part: str):
    path = PACKAGE / part
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level


@pytest.mark.parametrize(
    "path", [p for part in PURE for p in _modules(part)], ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_pure_modules_import_no_flask_and_no_database(path):
    for name, level in _imports(path):
        if level:
            assert name.split(".")[0] not in RELATIVE_FORBIDDEN, f"{path.name} imports .{name}"
        else:
            assert not name.startswith(FORBIDDEN_IN_PURE), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", _modules("models"), ids=lambda p: p.name)
def test_models_do_not_import_services_or_web(path):
    for name, level in _imports(path):
        target = name.split(".")[0] if level else name
        assert target not in ("services", "web", "cli"), f"{path.name} imports {name}"
