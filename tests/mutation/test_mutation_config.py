"""``make mutate``'s configuration stays in step with the code, and its report reads mutants right."""

from __future__ import annotations

import ast
import textwrap
import tomllib
from pathlib import Path

import fastest_first
import mutation


def test_groups_agree_with_pyproject_and_the_files_on_disk() -> None:
    assert mutation.config_problems() == []


def test_the_mutants_folder_is_never_committed() -> None:
    ignored = (mutation.ROOT / ".gitignore").read_text().splitlines()
    assert "mutants/" in ignored


def test_the_report_has_a_row_for_every_module() -> None:
    report = mutation.REPORT.read_text("utf-8")
    for pattern in mutation.all_modules():
        for path in mutation.module_files(pattern):
            assert f"`{path}`" in report


def test_function_names_are_read_back_from_mutmut_names() -> None:
    assert mutation._function_name("xǁRetryPolicyǁbackoff") == "RetryPolicy.backoff"
    assert mutation._function_name("x__svix_key") == "_svix_key"
    assert mutation._function_name("x_is_retryable_status") == "is_retryable_status"


def test_a_mutant_is_shown_as_the_line_it_changes() -> None:
    source = textwrap.dedent(
        """
        def x_f__mutmut_orig(a):
            b = a + 1
            return b >= 500

        def x_f__mutmut_1(a):
            b = a + 1
            return b > 500
        """
    )
    functions = mutation._functions(ast.parse(source))
    change, mutated = mutation._change(
        source, functions["x_f__mutmut_orig"], functions["x_f__mutmut_1"]
    )
    assert change == "return b >= 500 → return b > 500"
    assert mutated == "return b > 500"


def test_reasons_are_keyed_by_module_function_and_mutated_line(tmp_path: Path) -> None:
    entries = mutation.load_equivalent()
    for (module, function, line), why in entries.items():
        assert module.startswith(("apertur_ext.", "apertur_local."))
        assert function
        assert line
        assert why
        assert "\n" not in why


def test_only_groups_whose_modules_or_tests_changed_run_again() -> None:
    results = {
        "modules": {
            path: {"commit": "new" if group == "retry" else "old"}
            for group, spec in mutation.GROUPS.items()
            for pattern in spec.modules
            for path in mutation.module_files(pattern)
        }
    }
    asked: list[tuple[str, list[str]]] = []

    def differs(commit: str, paths: list[str]) -> bool:
        asked.append((commit, paths))
        return commit == "old" and "tests/local/test_envelope.py" in paths

    assert mutation.changed_groups(results, differs) == ["envelope"]
    spec = mutation.GROUPS["envelope"]
    assert ("old", [*spec.modules, *spec.tests]) in asked
    assert {commit for commit, _ in asked} == {"old", "new"}


def test_a_group_with_a_module_never_run_runs_again() -> None:
    results = {
        "modules": {
            path: {"commit": "c"}
            for spec in mutation.GROUPS.values()
            for pattern in spec.modules
            for path in mutation.module_files(pattern)
            if path != "apertur_ext/_core/retry.py"
        }
    }
    assert mutation.changed_groups(results, lambda commit, paths: False) == ["retry"]
    assert mutation.changed_groups({}, lambda commit, paths: False) == list(mutation.GROUPS)


def test_an_unknown_commit_counts_as_changed() -> None:
    assert mutation._differs_from("0" * 40, ["apertur_ext/_core/retry.py"])
    assert not mutation._differs_from("HEAD", ["tests/mutation/no-such-file.py"])


def test_a_mutants_tests_run_quickest_file_first_and_files_stay_together() -> None:
    nodeids = [
        "tests/e2e/test_server.py::test_a",
        "tests/e2e/test_server.py::test_b",
        "tests/ext/test_unit.py::test_slow",
        "tests/ext/test_unit.py::test_quick",
        "tests/ext/test_untimed.py::test_new",
        "tests/ext/test_unit.py::test_new",
    ]
    seconds = {
        "tests/e2e/test_server.py::test_a": 2.0,
        "tests/e2e/test_server.py::test_b": 0.5,
        "tests/ext/test_unit.py::test_slow": 0.3,
        "tests/ext/test_unit.py::test_quick": 0.01,
    }
    ordered = [nodeids[i] for i in fastest_first.order(nodeids, seconds)]
    assert ordered == [
        "tests/ext/test_unit.py::test_quick",
        "tests/ext/test_unit.py::test_slow",
        "tests/ext/test_unit.py::test_new",
        "tests/e2e/test_server.py::test_b",
        "tests/e2e/test_server.py::test_a",
        "tests/ext/test_untimed.py::test_new",
    ]
    assert fastest_first.order(nodeids, {}) == list(range(len(nodeids)))


def test_every_workspace_loads_the_ordering_plugin() -> None:
    shared = tomllib.loads((mutation.ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    for group in mutation.GROUPS:
        args = mutation.workspace_settings(group, shared)["pytest_add_cli_args"]
        assert args[-2:] == ["-p", mutation.PLUGIN]
        assert len([a for a in args if a.startswith("--timeout")]) == 1
    assert (mutation.HERE / f"{mutation.PLUGIN}.py").is_file()
