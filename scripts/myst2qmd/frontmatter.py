"""Emit stage, shared by the book and the slides: front matter and the generated-file note."""
from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from .i18n import NOTES

if TYPE_CHECKING:  # pragma: no cover
    from .convert import FileConverter
    from .model import Options

MACROS_INCLUDE = "_macros.qmd"


def kernelspec(conv: "FileConverter") -> dict:
    ks = conv.parsed.front_matter.get("kernelspec") if conv.parsed.front_matter else None
    if isinstance(ks, dict) and ks.get("name"):
        return {"display_name": str(ks.get("display_name", ks["name"])), "language": str(ks.get("language", "python")),
                "name": str(ks["name"])}
    return {"display_name": "Python 3", "language": "python", "name": "python3"}


def front_matter(conv: "FileConverter", options: "Options", extra: dict | None = None,
                 has_code: bool = True) -> str:
    """Quarto front matter: title (first H1), params.images_path, jupyter kernel."""
    meta: dict = {}
    if conv.title is not None:
        meta["title"] = conv.title
    else:
        conv.report.warn(0, "no level-1 heading: the output has no title")
    meta.update(extra or {})
    meta["params"] = {"images_path": options.images_path}
    if has_code:
        meta["jupyter"] = kernelspec(conv)["name"]
    text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000,
                          default_flow_style=False)
    return f"---\n{text}---\n"


def header_comment(source: str, lang: str) -> str:
    return f"<!-- {NOTES[lang]['generated'].format(src=source)} -->"
