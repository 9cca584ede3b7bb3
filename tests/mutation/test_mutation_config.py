"""``make mutate``'s configuration stays in step with the code, and its report reads mutants right."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

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
