"""The layout rules that keep the architecture readable, checked rather than hoped for.

- imports flow one way: generated ← apertur_ext ← apertur_cli; apertur_local shares the spec,
  not the client's code (it imports neither apertur_api nor apertur_ext);
- inside apertur_ext, packages are grouped by job and import each other in one direction:
  ``_core`` (the request path) depends on nothing else of apertur_ext; upload bodies, polling
  loops, webhooks and events build on it; the hand-written resources on all of those; only
  ``_client`` and ``__init__`` see everything;
- one job per module: each module's docstring opens with the job it does, no two modules claim
  the same one, and no module is a grab bag named ``utils``/``helpers``/``misc``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "apertur_api": ROOT / "generated" / "apertur_api",
    "apertur_ext": ROOT / "apertur_ext",
    "apertur_local": ROOT / "apertur_local",
    "apertur_cli": ROOT / "apertur_cli",
}
FORBIDDEN = {
    "apertur_api": {"apertur_ext", "apertur_local", "apertur_cli"},
    "apertur_ext": {"apertur_local", "apertur_cli"},
    "apertur_local": {"apertur_api", "apertur_ext", "apertur_cli"},
    "apertur_cli": set(),
}
HAND_WRITTEN = ["apertur_ext", "apertur_local", "apertur_cli"]

# apertur_ext's parts (a subpackage, or a top-level module) and the parts each may import.
EXT_PARTS: dict[str, set[str]] = {
    "_core": set(),
    "_bodies": {"_core"},
    "_polling": {"_core"},
    "_webhooks": {"_core"},
    "_events": {"_core", "_webhooks"},
    "_resources": {"_core", "_bodies", "_polling", "_events"},
    "_client": {"_core", "_resources"},
}
GRAB_BAGS = {"utils", "util", "helpers", "helper", "misc", "stuff"}


def _modules(package: str) -> list[Path]:
    return sorted(PACKAGES[package].rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"), str(path))


def _imported_packages(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_imports_flow_one_way(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_packages(path) & FORBIDDEN[package])
        for path in _modules(package)
        if _imported_packages(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def _ext_part(module: str) -> str:
    """``apertur_ext._core.request`` → ``_core``; ``apertur_ext`` → ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _ext_module(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _ext_imports(path: Path) -> set[str]:
    """The apertur_ext modules ``path`` imports (relative imports resolved)."""
    module = _ext_module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("apertur_ext"):
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("apertur_ext"))
    # ``_LAZY`` tables in ``__init__`` name modules as strings; they are the public surface.
    return found


def test_apertur_ext_parts_are_the_known_ones() -> None:
    parts = {_ext_part(_ext_module(p)) for p in _modules("apertur_ext")}
    assert parts == set(EXT_PARTS) | {"__init__"}


def test_apertur_ext_parts_import_in_one_direction() -> None:
    offenders: dict[str, list[str]] = {}
    for path in _modules("apertur_ext"):
        part = _ext_part(_ext_module(path))
        if part == "__init__":
            continue
        allowed = EXT_PARTS[part] | {part}
        bad = sorted(t for t in _ext_imports(path) if _ext_part(t) not in allowed)
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


HTTPX_SENDERS = {"Client", "AsyncClient", "HTTPTransport", "AsyncHTTPTransport", "request"}
HTTPX_SENDERS |= {"get", "post", "put", "patch", "delete", "stream"}


def _makes_httpx_calls(path: Path) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in HTTPX_SENDERS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "httpx"
        for node in ast.walk(_tree(path))
    )


def test_the_request_path_is_all_that_sends() -> None:
    """Only ``_core`` builds httpx clients or sends requests; the rest goes through it."""
    senders = {
        str(path.relative_to(ROOT))
        for path in _modules("apertur_ext")
        if _ext_part(_ext_module(path)) != "_core" and _makes_httpx_calls(path)
    }
    assert senders == set()


def _job(path: Path) -> str:
    doc = ast.get_docstring(_tree(path)) or ""
    return doc.strip().splitlines()[0].strip() if doc.strip() else ""


@pytest.mark.parametrize("package", HAND_WRITTEN)
def test_each_module_names_its_job(package: str) -> None:
    missing = [
        str(p.relative_to(ROOT))
        for p in _modules(package)
        if len(_job(p).split()) < 3  # a sentence, not a label
    ]
    assert missing == []


@pytest.mark.parametrize("package", HAND_WRITTEN)
def test_no_two_modules_claim_the_same_job(package: str) -> None:
    jobs: dict[str, list[str]] = {}
    for path in _modules(package):
        jobs.setdefault(_job(path).lower(), []).append(str(path.relative_to(ROOT)))
    assert {job: paths for job, paths in jobs.items() if len(paths) > 1} == {}


@pytest.mark.parametrize("package", HAND_WRITTEN)
def test_no_grab_bag_modules(package: str) -> None:
    bags = [
        str(p.relative_to(ROOT))
        for p in PACKAGES[package].rglob("*")
        if p.stem.strip("_").lower() in GRAB_BAGS
    ]
    assert bags == []


def test_apertur_ext_modules_are_private() -> None:
    """Only ``__init__`` is public: everything else is an underscored module or package."""
    public = [
        str(p.relative_to(ROOT))
        for p in _modules("apertur_ext")
        if p.parent == PACKAGES["apertur_ext"]
        and p.name != "__init__.py"
        and p.name[0] != "_"
        or p.parent != PACKAGES["apertur_ext"]
        and p.relative_to(PACKAGES["apertur_ext"]).parts[0][0] != "_"
    ]
    assert public == []


def test_the_cli_uses_only_public_names_of_the_sdk() -> None:
    """apertur_cli talks to apertur_ext through its public API, so the SDK's internals can
    change without breaking the command."""
    offenders = []
    for path in _modules("apertur_cli"):
        for node in ast.walk(_tree(path)):
            names = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                top, _, rest = name.partition(".")
                if top == "apertur_ext" and rest:
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
