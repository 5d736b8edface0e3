"""Emit stage, shared by the book and the slides: front matter and the generated-file note."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import yaml

from .i18n import NOTES
from .inline import SHORTCODE
from .macros import expand
from .placeholders import scan

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
    """Quarto front matter: title (first H1), extra keys, jupyter kernel."""
    meta: dict = {}
    if conv.title is not None:
        meta["title"] = conv.title
    else:
        conv.report.warn(0, "no level-1 heading: the output has no title")
    meta.update(extra or {})
    if has_code:
        meta["jupyter"] = kernelspec(conv)["name"]
    text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000,
                          default_flow_style=False)
    return f"---\n{text}---\n"


def header_comment(source: str, lang: str) -> str:
    return f"<!-- {NOTES[lang]['generated'].format(src=source)} -->"


_ENVIRONMENT = re.compile(r"\\begin\{([A-Za-z]+\*?)\}.*?\\end\{\1\}", re.DOTALL)


def finish(text: str, images_path: str, macros: dict[str, str]) -> str:
    """The last step of a chapter or deck: image paths written out relative to the file (the
    ``{{< meta params.images_path >}}`` form breaks in a merged typst book) and macros
    expanded in every formula (``$…$``, ``$$…$$``, ``\\begin{…}`` environments; not in code)."""
    text = text.replace(SHORTCODE, images_path)
    if not macros:
        return text
    out, last = [], 0
    for kind, tok, start, end in scan(text):
        if kind in ("code", "math", "dmath"):
            out.append(_ENVIRONMENT.sub(lambda m: expand(m.group(0), macros), text[last:start]))
            out.append(tok if kind == "code" else expand(tok, macros))
            last = end
    out.append(_ENVIRONMENT.sub(lambda m: expand(m.group(0), macros), text[last:]))
    return "".join(out)
