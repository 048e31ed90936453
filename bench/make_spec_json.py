"""Generate bench/data/commonmark-<version>.json from the CommonMark spec's text, once.

    npm pack commonmark-spec@0.31.2 && tar xzf commonmark-spec-0.31.2.tgz
    python bench/make_spec_json.py package/spec.txt 0.31.2

The examples are the spec's own (CC BY-SA 4.0, John MacFarlane); each has its Markdown, its
expected HTML, its section and number, as in the spec.json that spec_tests.py writes.
"""

from __future__ import annotations

import json
import os
import re
import sys

FENCE = "`" * 32


def parse(text: str) -> list[dict[str, object]]:
    examples = []
    section = ""
    lines = text.split("\n")
    i = 0
    number = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^#{1,6} +(.*)$", line)
        if m:
            section = m.group(1).strip()
        if line.startswith(FENCE + " example"):
            md, html = [], []
            i += 1
            while lines[i] != ".":
                md.append(lines[i])
                i += 1
            i += 1
            while not lines[i].startswith(FENCE):
                html.append(lines[i])
                i += 1
            number += 1
            examples.append(
                {
                    "markdown": "\n".join(md).replace("→", "\t") + "\n",
                    "html": ("\n".join(html).replace("→", "\t") + "\n") if html else "",
                    "example": number,
                    "section": section,
                }
            )
        i += 1
    return examples


def main() -> None:
    path, version = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as fh:
        examples = parse(fh.read())
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", f"commonmark-{version}.json")
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"version": version, "license": "CC BY-SA 4.0 (CommonMark spec, John MacFarlane)", "examples": examples}, fh, ensure_ascii=False, indent=1)
    print(f"{len(examples)} examples -> {out}")


if __name__ == "__main__":
    main()
