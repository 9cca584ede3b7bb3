"""``make mutate``: mutation testing of the modules whose correctness matters most, with mutmut.

Each group of modules below is mutated in its own workspace, ``mutants/<group>/`` (gitignored):
mutmut copies ``apertur_ext`` and ``apertur_local`` there, mutates the functions of the group's
modules (one change per mutant: a comparison, an operator, a constant, a removed argument...), and
for every mutant runs those of the group's tests that called the mutated function. A mutant is
*killed* when a test fails; one that *survives* is a change no test notices: either a missing test
or an equivalent mutant (the same behaviour, written differently).

Usage (from the repository root; the Makefile passes MODULES, RESUME and MUTATE_JOBS)::

    python tests/mutation/mutation.py [GROUP ...]   # run these groups (all when none), report
    python tests/mutation/mutation.py --resume      # finish an interrupted run, report
    python tests/mutation/mutation.py --changed     # only groups whose modules or tests changed
    python tests/mutation/mutation.py --report      # only rewrite the report
    python tests/mutation/mutation.py --collect [GROUP ...]  # results from mutants/, report

The groups, their modules and the tests that exercise them are in ``GROUPS``. ``[tool.mutmut]``
in pyproject.toml holds the shared settings, and lists the union of the modules and of the tests
(checked here and by ``test_mutation_config.py``); each workspace gets its group's own lists.
Results per module are kept in ``results.json`` (committed), so a
partial run updates its own modules and keeps the others; ``REPORT.md`` is written from it and
from ``equivalent.toml``, the one-line reasons why a surviving mutant is equivalent.

Speed: mutmut stops a mutant's run at its first failing test, and here each mutant's tests run
quickest first (``fastest_first.py``, a pytest plugin every workspace loads), so most mutants die
on a unit test in well under a second; the slow tests (a server start-up, a fuzzer, a real-clock
wait) run only for the mutants nothing quicker kills, and for the survivors. The polling group,
whose tests wait on real clocks, tests 4 mutants at once. Measured on 2026-12-01, all groups in
one run on 2 cores shared with other work (load average 3.5 to 5.6): 41 minutes, 36 CPU minutes
(store 10.5, polling 12.1, request 5.9, webhooks 4.0, bodies 4.0, crypto 2.0, envelope 1.4,
retry 0.8). ``--changed`` runs only the groups whose modules or tests changed since the commit
their results were recorded at.

mutmut mutates code inside functions and methods only: module constants and class bodies (attrs
field defaults and validators, for instance) are not mutated, so their tests are written by hand.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import difflib
import json
import os
import re
import subprocess
import sys
import textwrap
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
EQUIVALENT = HERE / "equivalent.toml"
REPORT = HERE / "REPORT.md"
MUTANTS = ROOT / "mutants"
PLUGIN = "fastest_first"  # tests/mutation/fastest_first.py


@dataclass(frozen=True)
class Group:
    """Modules mutated together, and the test files that exercise them; ``timeout`` (s) bounds
    each test when the group's tests are quick, so that a mutant that hangs a run is killed
    sooner than by the shared ``--timeout``; ``forkserver`` when the tests leave threads behind
    in mutmut's main process (its stats run), whose locks a plain fork would inherit held;
    ``jobs``, the mutants tested at once, when the tests mostly wait on real clocks (a waiting
    test costs no CPU, so more of them than cores keep the cores busy)."""

    modules: tuple[str, ...]
    tests: tuple[str, ...]
    timeout: int | None = None
    forkserver: bool = False
    jobs: int | None = None


# A group's slow test files (end-to-end ones that start a server, hypothesis fuzzers, real-clock
# waits) stay in its selection: each mutant's tests run quickest first (fastest_first.py), so a
# slow file runs only for the few mutants no quicker test kills, and the survivors.
GROUPS: dict[str, Group] = {
    "retry": Group(
        ("apertur_ext/_core/retry.py",),
        ("tests/ext/test_retry.py", "tests/ext/test_transport.py", "tests/e2e/test_e2e_retries.py"),
    ),
    "request": Group(
        ("apertur_ext/_core/transport.py", "apertur_ext/_core/request.py"),
        (
            "tests/ext/test_transport.py",
            "tests/ext/test_transport_deadline.py",
            "tests/ext/test_request_path.py",
            "tests/ext/test_response.py",
            "tests/ext/test_client_requests.py",
            "tests/e2e/test_e2e_retries.py",
            "tests/e2e/test_e2e_errors.py",
        ),
    ),
    "webhooks": Group(
        ("apertur_ext/_webhooks/signatures.py",),
        (
            "tests/ext/test_webhooks.py",
            "tests/ext/test_signing.py",
            "tests/ext/test_payloads.py",
            "tests/cli/test_verify_command.py",
            "tests/reliability/test_verifier_fuzz.py",
        ),
    ),
    "crypto": Group(
        ("apertur_ext/_bodies/crypto.py",),
        (
            "tests/ext/test_crypto.py",
            "tests/ext/test_upload_key.py",
            "tests/local/test_encrypted_upload.py",
            "tests/e2e/test_e2e_upload.py",
        ),
    ),
    "bodies": Group(
        ("apertur_ext/_bodies/multipart.py", "apertur_ext/_bodies/sources.py"),
        (
            "tests/ext/test_multipart.py",
            "tests/ext/test_sources.py",
            "tests/e2e/test_e2e_upload.py",
        ),
    ),
    "polling": Group(
        ("apertur_ext/_polling/*.py",),
        (
            "tests/ext/test_polling.py",
            "tests/ext/test_polling_async.py",
            "tests/ext/test_polling_state.py",
            "tests/ext/test_polling_defaults.py",
            "tests/ext/test_waiting.py",
            "tests/e2e/test_e2e_polling.py",
        ),
        # The slowest test takes about 3 s (the real 3 s idle interval); many engine mutants
        # hang a run, and would each cost the shared 30 s. The engine's worker threads outlive
        # the stats run: forked from that process, most mutants deadlocked until the timeout.
        timeout=15,
        forkserver=True,
        # Sleep-bound: its tests wait on real clocks (idle intervals, back-offs, deadlines).
        jobs=4,
    ),
    # The envelope on its own, from disk to disk: the end-to-end encrypted uploads (a server
    # start-up per mutant) killed none of its mutants that these tests do not.
    "envelope": Group(("apertur_local/_envelope.py",), ("tests/local/test_envelope.py",)),
    # The store's durability core: the SQLite layer, the change/commit protocol every store
    # uses, and the images (stored, acknowledged, deleted). Keys, sessions, destinations and
    # event webhooks are plain records on top of these.
    "store": Group(
        (
            "apertur_local/_database.py",
            "apertur_local/_store_base.py",
            "apertur_local/_store_uploads.py",
        ),
        # In-process tests only: the end-to-end upload, polling and server-state tests reach the
        # same store methods through a server start-up each (the group took close to an hour with
        # them); these kill the store's mutants without one.
        (
            "tests/local/test_database.py",
            "tests/local/test_store_changes.py",
            "tests/local/test_store_uploads.py",
            "tests/local/test_state.py",
            "tests/local/test_storage.py",
            "tests/local/test_migration.py",
        ),
    ),
}

# mutmut's exit codes per mutant (mutmut/stats.py), folded into what the report counts.
DEFAULT_JOBS = 2  # mutants tested at once, unless a group or MUTATE_JOBS says otherwise

KILLED = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout"}
KILLED |= {255: "timeout", 37: "type check", -11: "segfault", -9: "segfault"}
NOT_KILLED = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}


# --- configuration ------------------------------------------------------------------------------


def all_modules() -> list[str]:
    return sorted({m for g in GROUPS.values() for m in g.modules})


def all_tests() -> list[str]:
    return sorted({t for g in GROUPS.values() for t in g.tests})


def config_problems() -> list[str]:
    """Where pyproject's [tool.mutmut] or the files on disk disagree with GROUPS."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    problems = []
    if sorted(config["only_mutate"]) != all_modules():
        problems.append(f"[tool.mutmut] only_mutate should be {all_modules()}")
    if sorted(config["pytest_add_cli_args_test_selection"]) != all_tests():
        problems.append(f"[tool.mutmut] pytest_add_cli_args_test_selection should be {all_tests()}")
    for pattern in all_modules():
        if not list(ROOT.glob(pattern)):
            problems.append(f"no module matches {pattern}")
    problems += [f"missing test file {t}" for t in all_tests() if not (ROOT / t).is_file()]
    return problems


def _toml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)  # strings and numbers: JSON's forms are valid TOML


def workspace(group: str) -> Path:
    """``mutants/<group>/``: links to the sources and tests, and a pyproject.toml whose
    ``[tool.mutmut]`` lists only this group's modules and tests."""
    root = MUTANTS / group
    root.mkdir(parents=True, exist_ok=True)
    for name in ("apertur_ext", "apertur_local", "apertur_cli", "tests", "openapi.yaml"):
        link = root / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    settings = workspace_settings(group, tomllib.loads(text)["tool"]["mutmut"])
    section = "\n".join(f"{key} = {_toml_value(value)}" for key, value in settings.items())
    shared = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text).rstrip()
    project = f"{shared}\n\n[tool.mutmut]\n{section}\n"
    target = root / "pyproject.toml"
    if not target.is_file() or target.read_text("utf-8") != project:  # unchanged: caches stay
        target.write_text(project, "utf-8")
    return root


def workspace_settings(group: str, shared: dict[str, Any]) -> dict[str, Any]:
    """The ``[tool.mutmut]`` of the group's workspace, from pyproject's shared one."""
    settings = dict(shared)
    settings["only_mutate"] = list(GROUPS[group].modules)
    settings["pytest_add_cli_args_test_selection"] = list(GROUPS[group].tests)
    if GROUPS[group].timeout is not None:
        settings["pytest_add_cli_args"] = [
            arg
            for arg in settings.get("pytest_add_cli_args", [])
            if not arg.startswith("--timeout")
        ] + [f"--timeout={GROUPS[group].timeout}"]
    # Each mutant's tests quickest first (tests/mutation/fastest_first.py, on PYTHONPATH).
    settings["pytest_add_cli_args"] = [*settings.get("pytest_add_cli_args", []), "-p", PLUGIN]
    if GROUPS[group].forkserver:
        settings["process_isolation"] = "forkserver"
    return settings


def module_files(pattern: str) -> list[str]:
    """The module paths of one GROUPS entry (globs expanded; package markers skipped)."""
    return sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(pattern) if p.name != "__init__.py")


def dotted(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


# --- reading mutmut's results -------------------------------------------------------------------


@dataclass
class Mutant:
    name: str
    status: str
    function: str = ""
    change: str = ""
    mutated: str = ""

    @property
    def killed(self) -> bool:
        return self.status in KILLED.values()


@dataclass
class ModuleResult:
    module: str
    mutants: list[Mutant] = field(default_factory=list)


def _function_name(mangled: str) -> str:
    """``xǁRetryPolicyǁbackoff`` -> ``RetryPolicy.backoff``; ``x__b64`` -> ``_b64``."""
    if mangled.startswith("xǁ"):
        return ".".join(mangled[2:].split("ǁ"))
    return mangled.removeprefix("x_")


def _functions(tree: ast.Module) -> dict[str, ast.AST]:
    found: dict[str, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in node.name:
            found[node.name] = node
    return found


def _change(source: str, orig: ast.AST | None, mutant: ast.AST | None) -> tuple[str, str]:
    """The changed lines, as ``old → new``, and the mutated line alone (the equivalence key)."""
    if orig is None or mutant is None:
        return "(source not found)", ""
    before, after = (
        re.sub(
            r"__mutmut_\w+", "", textwrap.dedent(ast.get_source_segment(source, f) or "")
        ).splitlines()
        for f in (orig, mutant)
    )
    diff = list(difflib.ndiff(before, after))
    old = " ⏎ ".join(line[2:].strip() for line in diff if line.startswith("- "))
    new = " ⏎ ".join(line[2:].strip() for line in diff if line.startswith("+ "))
    return f"{old} → {new}", new


def read_module(group: str, path: str) -> ModuleResult | None:
    """mutmut's results for one module, or None if it was never run."""
    mutated = MUTANTS / group / "mutants" / path
    meta = mutated.with_name(mutated.name + ".meta")
    if not meta.is_file():
        return None
    codes: dict[str, int | None] = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    source = mutated.read_text("utf-8")
    functions = _functions(ast.parse(source))
    result = ModuleResult(path)
    prefix = dotted(path) + "."
    for name, code in sorted(codes.items(), key=lambda item: _natural(item[0])):
        status = KILLED.get(code) or NOT_KILLED.get(code) or "suspicious"  # type: ignore[call-overload]
        mutant = Mutant(name, status)
        if not mutant.killed:
            local = name.removeprefix(prefix)
            mangled = local.rsplit("__mutmut_", 1)[0]
            mutant.function = _function_name(mangled)
            mutant.change, mutant.mutated = _change(
                source, functions.get(f"{mangled}__mutmut_orig"), functions.get(local)
            )
        result.mutants.append(mutant)
    return result


def _natural(name: str) -> tuple[str, int]:
    base, _, number = name.rpartition("__mutmut_")
    return base, int(number) if number.isdigit() else 0


# --- equivalence reasons ------------------------------------------------------------------------


def load_equivalent() -> dict[tuple[str, str, str], str]:
    """(module, function, mutated line) -> why the mutant is equivalent."""
    if not EQUIVALENT.is_file():
        return {}
    entries = tomllib.loads(EQUIVALENT.read_text("utf-8")).get("equivalent", [])
    return {(e["module"], e["function"], e["mutated"].strip()): e["why"] for e in entries}


# --- results.json and the report ----------------------------------------------------------------


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def update_results(
    groups: list[str], seconds: float | None, cpu_seconds: float | None = None
) -> None:
    """Replace the entries of ``groups``' modules with what mutants/ holds now."""
    results = json.loads(RESULTS.read_text("utf-8")) if RESULTS.is_file() else {"modules": {}}
    stamp = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "mutmut": _mutmut_version(),
    }
    for group in groups:
        for pattern in GROUPS[group].modules:
            for path in module_files(pattern):
                module = read_module(group, path)
                if module is None:
                    continue
                results["modules"][path] = {
                    "group": group,
                    **stamp,
                    "counts": _counts(module),
                    "not_killed": [
                        {
                            "name": m.name,
                            "status": m.status,
                            "function": m.function,
                            "change": m.change,
                            "mutated": m.mutated,
                        }
                        for m in module.mutants
                        if not m.killed
                    ],
                }
    if seconds is not None:
        results.setdefault("runs", []).append(
            {**stamp, "groups": groups, "minutes": round(seconds / 60, 1)}
            | ({} if cpu_seconds is None else {"cpu_minutes": round(cpu_seconds / 60, 1)})
            | {"load": round(os.getloadavg()[0], 1)}
        )
        results["runs"] = results["runs"][-10:]
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")


def _counts(module: ModuleResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    for mutant in module.mutants:
        counts[mutant.status] = counts.get(mutant.status, 0) + 1
    return dict(sorted(counts.items()))


def _mutmut_version() -> str:
    try:
        from importlib.metadata import version

        return version("mutmut")
    except Exception:
        return "unknown"


def render_report() -> str:
    results = json.loads(RESULTS.read_text("utf-8")) if RESULTS.is_file() else {"modules": {}}
    reasons = load_equivalent()
    used: set[tuple[str, str, str]] = set()
    lines = [
        "# Mutation testing report",
        "",
        "Written by `make mutate` (tests/mutation/mutation.py, mutmut); do not edit by hand —",
        "reasons for equivalent mutants go in `tests/mutation/equivalent.toml`.",
        "",
        "A mutant is one small change to a function (a comparison, an operator, a constant, a",
        "removed argument or call...). It is **killed** when a test fails (or it hangs: timeout), and",
        "**survives** when no test notices. A survivor is either a missing test, to be written, or",
        "**equivalent**: the same observable behaviour written differently, explained in one line.",
        "Score = killed / (mutants − equivalent). Target: ≥ 95% in every module, and no survivor",
        "left unexplained.",
        "",
        "| Group | Module | Mutants | Killed | Equivalent | Not killed | Score | Run |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    details: list[str] = []
    for group, spec in GROUPS.items():
        for pattern in spec.modules:
            for path in module_files(pattern):
                entry = results["modules"].get(path)
                if entry is None:
                    lines.append(f"| {group} | `{path}` | – | – | – | – | not run yet | |")
                    continue
                counts = entry["counts"]
                total = sum(counts.values())
                killed = sum(n for s, n in counts.items() if s in KILLED.values())
                module = dotted(path)
                open_items, explained = [], []
                for m in entry["not_killed"]:
                    key = (module, m["function"], m["mutated"].strip())
                    why = reasons.get(key) if m["status"] == "survived" else None
                    if why:
                        used.add(key)
                        explained.append((m, why))
                    else:
                        open_items.append(m)
                score = killed / (total - len(explained)) if total > len(explained) else 1.0
                lines.append(
                    f"| {group} | `{path}` | {total} | {killed} | {len(explained)} | "
                    f"{len(open_items)} | {score:.1%} | {entry['date']}, {entry['commit']} |"
                )
                if open_items or explained:
                    details += ["", f"## `{path}`", ""]
                for m in open_items:
                    details.append(
                        f"- **{m['status'].upper()}, to kill** `{_short(m['name'])}` "
                        f"in `{m['function']}`: `{m['change']}`"
                    )
                for m, why in explained:
                    details.append(
                        f"- equivalent: {why} — `{_short(m['name'])}` in `{m['function']}`: "
                        f"`{m['change']}`"
                    )
    runs = results.get("runs", [])
    if runs:
        lines += ["", "Recent runs (2 workers; polling 4 from 2026-12-01 19:00 UTC on):", ""]
        lines += [
            f"- {r['date']} at {r['commit']} (mutmut {r['mutmut']}): "
            f"{', '.join(r['groups'])} in {r['minutes']} min"
            + (
                f" (CPU {r['cpu_minutes']} min; load average {r['load']} at the end)"
                if "cpu_minutes" in r
                else ""
            )
            for r in runs
        ]
    stale = sorted(set(reasons) - used)
    if stale:
        details += ["", "## Reasons in equivalent.toml that matched no survivor", ""]
        details += [f"- `{m}` `{f}`: `{line}`" for m, f, line in stale]
    return "\n".join(lines + details) + "\n"


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


# --- which groups to run ---------------------------------------------------------------------


def changed_groups(
    results: dict[str, Any], differs: Callable[[str, list[str]], bool] | None = None
) -> list[str]:
    """The groups to run again: those with a module never run, or whose modules or tests
    differ from the commit their results were recorded at (``differs(commit, paths)``; by
    default, git compares that commit with the working tree)."""
    differs = differs or _differs_from
    groups = []
    for group, spec in GROUPS.items():
        entries = [
            results.get("modules", {}).get(path)
            for pattern in spec.modules
            for path in module_files(pattern)
        ]
        paths = [*spec.modules, *spec.tests]
        if (
            not entries
            or None in entries
            or any(differs(commit, paths) for commit in sorted({e["commit"] for e in entries}))
        ):
            groups.append(group)
    return groups


def _differs_from(commit: str, paths: list[str]) -> bool:
    """Whether ``paths`` (git pathspecs) differ between ``commit`` and the working tree; an
    unknown commit counts as a difference."""
    try:
        done = subprocess.run(
            ["git", "diff", "--quiet", commit, "--", *paths], cwd=ROOT, capture_output=True
        )
    except OSError:
        return True
    return done.returncode != 0


# --- running mutmut -----------------------------------------------------------------------------


def run_mutmut(group: str, *, resume: bool, jobs: int | None) -> tuple[float, float]:
    """Run mutmut in the group's workspace: every mutant again, or (resume) the unchecked ones.

    Returns the wall time and the CPU time it took (seconds): on a shared machine the wall time
    grows with the load, the CPU time hardly (divided by the cores, it bounds an idle run)."""
    root = workspace(group)
    patterns = (
        [] if resume else [dotted(m).removesuffix(".*") + ".*" for m in GROUPS[group].modules]
    )
    if not resume:
        # mutmut keeps the tests it saw reach each function and only adds new tests to that map:
        # after functions were renamed or merged, known tests would no longer run on their mutants.
        (root / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    children = jobs or GROUPS[group].jobs or DEFAULT_JOBS
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(children), *patterns]
    print(f"== {group}: {' '.join(command[1:])}", flush=True)
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))
    }
    started, before = time.monotonic(), os.times()
    subprocess.run(command, cwd=root, check=True, env=env)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return time.monotonic() - started, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=f"any of {', '.join(GROUPS)}")
    parser.add_argument("--resume", action="store_true", help="only mutants with no result yet")
    parser.add_argument("--report", action="store_true", help="only rewrite REPORT.md")
    parser.add_argument(
        "--changed",
        action="store_true",
        help="only the groups whose modules or tests changed since their recorded results",
    )
    parser.add_argument(
        "--collect", action="store_true", help="read the groups' results from mutants/, no run"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ["MUTATE_JOBS"]) if os.environ.get("MUTATE_JOBS") else None,
        help=f"mutants tested at once (default: the group's jobs, else {DEFAULT_JOBS})",
    )
    args = parser.parse_args(argv)
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group(s) {unknown}; choose among {list(GROUPS)}")
    problems = config_problems()
    if problems:
        print("mutation config out of date:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    groups = args.groups or list(GROUPS)
    if args.changed:
        results = json.loads(RESULTS.read_text("utf-8")) if RESULTS.is_file() else {}
        groups = [g for g in changed_groups(results) if g in groups]
        print(f"changed since their last run: {', '.join(groups) or 'none'}", flush=True)
        if not groups:
            args.report = True
    if args.collect:
        update_results(groups, None)
    elif not args.report:
        for group in groups:
            seconds, cpu_seconds = run_mutmut(group, resume=args.resume, jobs=args.jobs)
            update_results([group], seconds, cpu_seconds)
    REPORT.write_text(render_report(), "utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
