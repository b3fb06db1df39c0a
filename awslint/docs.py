"""Rule pages, rendered from the rule classes: `rules/<CODE>.md` and `awslint --explain` print the same text."""
from __future__ import annotations

from pathlib import Path

from awslint.rule import Rule
from awslint.rules import FAMILIES, RULES

_ORDER = ("What it finds", "Why is this bad?")
_TAIL = ("Options", "References")


def render(rule: type[Rule]) -> str:
    sections = rule.sections()
    family = next(f for f in FAMILIES if rule in f.rules)
    out = [f"# {rule.code}: {rule.name}", "", f"**{rule.title}**", ""]
    out.append(
        f"Message id `{rule.msgid}` (pylint), {'on' if rule.default_enabled else 'off'} by default"
        + ("" if rule.default_enabled else f"; enable it with `--select {rule.code}`")
        + "."
    )
    out.append("")
    for heading in _ORDER:
        if heading in sections:
            out += [f"## {heading}", "", sections[heading], ""]
    for heading, examples in (("Example", rule.INVALID), ("Use instead", rule.VALID)):
        for i, example in enumerate(examples):
            out += [f"## {heading}" if i == 0 else "", "", "```python", example.strip("\n"), "```", ""]
    options = sections.get("Options")
    if options is None and family.options:
        options = "\n".join(
            f"- `{o.name}` (flake8 `--aws-{o.name}`, pylint `aws-{o.name}`, `[tool.awslint]` `{o.name}`): {o.help}"
            for o in family.options
        )
    out += ["## Options", "", options or "None.", ""]
    if "References" in sections:
        out += ["## References", "", sections["References"], ""]
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def write_pages(folder: Path) -> list[Path]:
    """Write every rule's page into `folder`; returns the pages written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in RULES:
        page = folder / f"{rule.code}.md"
        page.write_text(render(rule), encoding="utf-8")
        written.append(page)
    return written


if __name__ == "__main__":
    import sys

    for page in write_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "rules")):
        print(page)
