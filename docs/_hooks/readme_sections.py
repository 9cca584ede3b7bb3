"""MkDocs hook: the guides are README.md's sections, included where a page says so.

A page writes ``<!-- README section: Sessions -->`` to include the body of README's heading
``Sessions`` (any level) up to the next heading of the same or a higher level, and
``<!-- README intro -->`` for what comes before the first ``##`` heading. A link in README to a
section shown on another page (``(#the-apertur-command)``) points to that page, and a file under
``docs/`` that README shows (a screenshot) is found from the page. A marker naming a
heading README does not have fails the build, so a renamed section cannot silently vanish.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify
from mkdocs.exceptions import PluginError

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = re.compile(r"<!-- README (?:section: (?P<heading>.+?)|(?P<intro>intro)) -->")
HEADING = re.compile(r"^(?P<level>#{1,6}) (?P<title>.+?)\s*$", re.M)
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
ANCHOR_LINK = re.compile(r"\]\(#(?P<slug>[\w-]+)\)")
DOCS_PATH = re.compile(r"(?P<lead>\]\(|src=\")docs/")

_pages_of_sections: dict[str, str] = {}


def _headings(text: str) -> list[re.Match[str]]:
    """The Markdown headings of ``text``, leaving out ``#`` lines inside code blocks."""
    fenced = [(m.start(), m.end()) for m in FENCE.finditer(text)]
    return [m for m in HEADING.finditer(text) if not any(a <= m.start() < b for a, b in fenced)]


def section(text: str, title: str) -> str:
    """The body of the heading ``title`` in ``text``, up to the next heading of its level."""
    headings = _headings(text)
    for number, heading in enumerate(headings):
        if heading["title"] == title:
            level = len(heading["level"])
            end = next(
                (h.start() for h in headings[number + 1 :] if len(h["level"]) <= level),
                len(text),
            )
            return text[heading.end() : end].strip("\n") + "\n"
    raise PluginError(f"README.md has no heading {title!r} (named by a docs page)")


def intro(text: str) -> str:
    """What README says before its first ``##`` heading, without its title."""
    first = next(h for h in _headings(text) if len(h["level"]) == 2)
    return HEADING.sub("", text[: first.start()], count=1).strip("\n") + "\n"


def _slug(title: str) -> str:
    return str(slugify(title.replace("`", ""), "-"))


def on_files(files: Any, config: Any) -> Any:
    """Note which page shows which README section (for links between sections)."""
    _pages_of_sections.clear()
    for file in files.documentation_pages():
        for match in MARKER.finditer(Path(file.abs_src_path).read_text(encoding="utf-8")):
            if match["heading"]:
                _pages_of_sections[_slug(match["heading"])] = file.src_uri
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace each marker with the README text it names."""
    if not MARKER.search(markdown):
        return markdown
    readme = README.read_text(encoding="utf-8")
    here = posixpath.dirname(page.file.src_uri)

    def link(match: re.Match[str]) -> str:
        target = _pages_of_sections.get(match["slug"])
        if target is None or target == page.file.src_uri:
            return match.group(0)
        return f"]({posixpath.relpath(target, here or '.')})"

    # Markdown links are resolved from the page's file; raw HTML (<img src>) from its URL.
    from_file = posixpath.relpath(".", here or ".")
    from_url = posixpath.relpath(".", (page.url or "").rstrip("/") or ".")

    def docs_path(match: re.Match[str]) -> str:
        root = from_file if match["lead"] == "](" else from_url
        return f"{match['lead']}{root}/"

    def include(match: re.Match[str]) -> str:
        text = intro(readme) if match["intro"] else section(readme, match["heading"])
        text = DOCS_PATH.sub(docs_path, text)
        return ANCHOR_LINK.sub(link, text)

    return MARKER.sub(include, markdown)
