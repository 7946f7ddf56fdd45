"""The layering of STYLE.md and ARCHITECTURE.md, read from the imports.

Every rule is checked by parsing every module's imports (top-level and inside
functions alike), so a new module is covered the day it is added:

* the core (``domain/``) imports nothing outside itself: no Flask, no
  database, no folium, no other part of the package;
* ``maps/`` imports only the core (and folium);
* models import no service, schema, view, API or CLI code;
* services never import views, the API or the CLI, and never read
  ``flask.request`` or call ``url_for``;
* views and API modules import no models and not ``db``;
* capabilities import each other in one direction only
  (``CAPABILITIES``, lowest first), and shared plumbing imports none of them;
* there is no import cycle anywhere.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "betterway_map"

# Lowest first: a capability may import the ones before it, never after.
CAPABILITIES = (
    "accounts",
    "inbox",
    "geocoding",
    "register",
    "people",
    "places",
    "network",
    "matching",
    "measures",
    "rights",
    "interop",
    "home",
    "demo",
)
# Shared by every capability; they import no capability.
PLUMBING = ("domain", "maps", "web", "extensions", "errors", "database")
OUTSIDE_THE_CORE = (
    "flask",
    "flask_login",
    "flask_migrate",
    "flask_smorest",
    "flask_sqlalchemy",
    "flask_wtf",
    "flask_limiter",
    "sqlalchemy",
    "folium",
    "branca",
    "marshmallow",
    "werkzeug",
    "jinja2",
    "markupsafe",
    "click",
)
VIEW_PARTS = ("views", "api", "cli", "forms")


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def imports(module: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(imported module, names taken from it) for every import in ``module``."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.extend((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, tuple(alias.name for alias in node.names)))
    return tuple(found)


def internal_imports(module: str) -> set[str]:
    """The package's own modules that ``module`` imports (``from pkg import mod`` is ``pkg.mod``)."""
    found = set()
    for target, names in imports(module):
        if not target.startswith("betterway_map"):
            continue
        submodules = {f"{target}.{name}" for name in names} & MODULES.keys()
        if submodules:
            found |= submodules
            if len(submodules) < len(names):
                found.add(target)
        elif target in MODULES:
            found.add(target)
    found.discard(module)
    return found


def part(module: str) -> str:
    """The top-level part a module belongs to: a capability or plumbing."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else ""


def kind(module: str) -> str:
    """models, schemas, views (pages, API, CLI, forms), package or services,
    read from the first part of the module's path inside its capability that
    names one (``interop.oruk.api`` is views, as ``register.api.groups`` is)."""
    pieces = module.split(".")[2:]
    if not pieces:
        return "package"
    for piece in pieces:
        if piece in ("models", "schemas"):
            return piece
        if piece in VIEW_PARTS:
            return "views"
    return "services"


def in_parts(*names: str) -> list[str]:
    return [m for m in MODULES if part(m) in names]


def test_every_module_belongs_to_a_known_part():
    unknown = {part(m) for m in MODULES} - set(CAPABILITIES) - set(PLUMBING) - {""}
    assert not unknown, f"add {sorted(unknown)} to CAPABILITIES or PLUMBING in this test"


@pytest.mark.parametrize("module", in_parts("domain"))
def test_the_core_imports_nothing_outer(module):
    for target, _ in imports(module):
        assert not target.startswith(OUTSIDE_THE_CORE), f"{module} imports {target}"
        if target.startswith("betterway_map"):
            assert target.startswith("betterway_map.domain"), f"{module} imports {target}"


@pytest.mark.parametrize("module", in_parts("maps"))
def test_maps_take_plain_data(module):
    for target, _ in imports(module):
        assert not target.startswith(("flask", "sqlalchemy")), f"{module} imports {target}"
        if target.startswith("betterway_map"):
            assert target.startswith(("betterway_map.domain", "betterway_map.maps")), (
                f"{module} imports {target}"
            )


@pytest.mark.parametrize("module", [m for m in MODULES if kind(m) == "models"])
def test_models_import_no_services_schemas_or_views(module):
    for target in internal_imports(module):
        assert kind(target) in ("models", "package") or part(target) in PLUMBING, (
            f"{module} imports {target}"
        )
        assert part(target) != "web", f"{module} imports {target}"


@pytest.mark.parametrize(
    "module", [m for m in MODULES if kind(m) == "services" and part(m) in CAPABILITIES]
)
def test_services_import_no_views_and_never_the_request(module):
    for target in internal_imports(module):
        assert kind(target) != "views" or part(target) == "web", f"{module} imports {target}"
    for target, names in imports(module):
        if target == "flask":
            assert not {"request", "url_for"} & set(names), f"{module} uses flask.{names}"


@pytest.mark.parametrize("module", [m for m in MODULES if kind(m) == "views"])
def test_views_import_no_models_and_no_db(module):
    for target in internal_imports(module):
        assert kind(target) != "models", f"{module} imports {target}"
    for target, names in imports(module):
        if target == "betterway_map.extensions":
            assert "db" not in names, f"{module} imports db"


@pytest.mark.parametrize("module", [m for m in MODULES if part(m)])
def test_parts_import_only_the_parts_below_them(module):
    mine = part(module)
    if mine in PLUMBING:
        allowed = set(PLUMBING)
    else:
        allowed = set(PLUMBING) | set(CAPABILITIES[: CAPABILITIES.index(mine) + 1])
    for target in internal_imports(module):
        assert part(target) in allowed, f"{module} ({mine}) imports {target} ({part(target)})"


def test_plumbing_is_layered_too():
    """domain imports no plumbing; errors, extensions and database import
    only each other and the core; maps no web."""
    lower = {
        "domain": {"domain"},
        "maps": {"domain", "maps"},
        "extensions": {"domain", "extensions"},
        "database": {"domain", "extensions", "database"},
        "errors": {"domain", "extensions", "errors"},
    }
    for module in in_parts(*lower):
        for target in internal_imports(module):
            assert part(target) in lower[part(module)], f"{module} imports {target}"


def test_there_are_no_import_cycles():
    graph = {m: internal_imports(m) - {"betterway_map"} for m in MODULES if m != "betterway_map"}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycle = stack[stack.index(target) :] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_only_the_factory_imports_the_package_root():
    for module in MODULES:
        if module == "betterway_map":
            continue
        for target, _ in imports(module):
            assert target != "betterway_map", f"{module} imports the package root"


def test_a_test_of_a_rule_can_fail():
    """The readers above see a forbidden import when there is one."""
    assert "betterway_map.network.models" in internal_imports("betterway_map.network.report_store")
    assert kind("betterway_map.people.views.directory") == "views"
    assert kind("betterway_map.people.services.directory") == "services"
    assert kind("betterway_map.interop.oruk.api") == "views"
    assert kind("betterway_map.interop.calendars.views") == "views"
    assert part("betterway_map.domain.network.graph") == "domain"


def test_test_modules_have_unique_names():
    """pytest imports test folders without packages by file name, so two test
    files with one name in different folders stop the whole run at collection."""
    seen: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        seen.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
