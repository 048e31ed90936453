"""Finding formats: text (``path:line:col: CODE message``), json, sarif, github."""

from __future__ import annotations

import json

from convert.lint.core import RULES, Finding


def text(findings: list[Finding]) -> str:
    return "".join(f.as_text() + "\n" for f in findings)


def as_json(findings: list[Finding]) -> str:
    rows = [
        {
            "path": f.path,
            "line": f.line,
            "column": f.col,
            "code": f.code,
            "name": RULES[f.code].name,
            "severity": f.severity,
            "message": f.message,
            "fixable": f.fix is not None,
        }
        for f in findings
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def github(findings: list[Finding]) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}

    def esc(s: str) -> str:
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(s: str) -> str:
        return esc(s).replace(":", "%3A").replace(",", "%2C")

    return "".join(
        f"::{level.get(f.severity, 'warning')} file={prop(f.path)},line={f.line},col={f.col},title={prop(f.code)}::{esc(f.message)}\n"
        for f in findings
    )


def sarif(findings: list[Finding]) -> str:
    from convert._version import __version__

    codes = sorted(RULES)
    level = {"error": "error", "warning": "warning", "info": "note"}
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fmconvert",
                        "version": __version__,
                        "rules": [
                            {
                                "id": code,
                                "name": RULES[code].name,
                                "shortDescription": {"text": RULES[code].summary},
                                "fullDescription": {"text": RULES[code].explanation},
                                "defaultConfiguration": {"level": level[RULES[code].severity]},
                            }
                            for code in codes
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.code,
                        "ruleIndex": codes.index(f.code),
                        "level": level.get(f.severity, "warning"),
                        "message": {"text": f.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": f.path.replace("\\", "/")},
                                    "region": {"startLine": f.line, "startColumn": f.col},
                                }
                            }
                        ],
                    }
                    for f in findings
                ],
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


FORMATS = {"text": text, "json": as_json, "sarif": sarif, "github": github}
