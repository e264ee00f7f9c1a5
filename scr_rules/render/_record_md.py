"""The decision record as Markdown (CommonMark with pipe tables), for the minutes or a ticket."""

from __future__ import annotations

import re

from scr_rules.render._record_model import (
    Block,
    Commands,
    Items,
    Paragraph,
    RecordDocument,
    Subheading,
    Table,
)

# what can start markup inside a line; an underscore only at a word's edge (is_child is
# text), a hash only where it would start a heading
_MARKUP = re.compile(r"[\\`*\[\]<>|]|^#|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def escape_md(text: str) -> str:
    """Escape what Markdown would read as markup, so the text shows as written."""
    return _MARKUP.sub(lambda m: "\\" + m.group(), " ".join(text.split()))


def render_record_md(document: RecordDocument) -> str:
    """Return the record as one Markdown document."""
    lines = [f"# {escape_md(document.title)}", ""]
    lines += [f"- **{escape_md(label)}:** {escape_md(value)}" for label, value in document.header]
    lines += ["", f"> **{escape_md(document.banner)}**", ""]
    for section in document.sections:
        lines += [f"## {escape_md(section.title)}", ""]
        for block in section.blocks:
            lines += [*_block(block), ""]
    lines.append(f"*{escape_md(document.footer)}*")
    return "\n".join(lines) + "\n"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        text = escape_md(block.text)
        return [f"*{text}*" if block.note else text]
    if isinstance(block, Subheading):
        return [f"### {escape_md(block.text)}"]
    if isinstance(block, Items):
        return [f"- {escape_md(item)}" for item in block.items]
    if isinstance(block, Commands):
        return ["```sh", *block.lines, "```"]
    return _table(block)


def _table(table: Table) -> list[str]:
    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(escape_md(cell) or " " for cell in cells) + " |"

    return [row(table.header), "|" + "---|" * len(table.header), *map(row, table.rows)]
