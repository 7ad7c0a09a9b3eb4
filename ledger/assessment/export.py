"""The assessment report as an xlsx workbook: the ranking (every goal's points, the total,
the grade and its consequence), how each derived score was derived, and the scheme.

openpyxl is imported here only, so commands that do not export never load it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ledger.assessment.rules import show_number
from ledger.errors import StorageError
from ledger.i18n import field_label, t, value_label


def write_xlsx(report: dict[str, Any], path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ledger.io.export import xlsx_texts

    report = xlsx_texts(report)  # a name holding a control character cannot crash the save
    goals = report["scheme"]["goals"]
    book = Workbook()
    ranking = book.active
    ranking.title = t("assess.sheet.ranking")
    ranking.append([field_label("rank"), field_label("village_code"), field_label("village"),
                    *(f"{g['name']} ({show_number(g['max_points'])})" for g in goals),
                    field_label("total_points"), field_label("max_total"),
                    field_label("grade"), field_label("consequence")])
    for row in report["villages"]:
        ranking.append([row["rank"], row["village_code"], row["village"],
                        *(c["points"] for c in row["goals"]), row["total"],
                        row["max_total"], value_label("assess_grade", row["grade"]),
                        row["consequence"]])
    derived = book.create_sheet(t("assess.sheet.derivations"))
    derived.append([field_label("village"), field_label("goal"), field_label("method"),
                    field_label("inputs"), field_label("formula"), field_label("points"),
                    field_label("note")])
    for row in report["villages"]:
        for goal, cell in zip(goals, row["goals"], strict=True):
            if not cell["applies"]:
                continue
            derived.append([row["village"], goal["name"],
                            value_label("assess_method", cell["method"]),
                            json.dumps(cell["inputs"], ensure_ascii=False)
                            if cell["inputs"] else "",
                            cell["formula"], cell["points"], cell["note"]])
    scheme = book.create_sheet(t("assess.sheet.scheme"))
    scheme.append([field_label("code"), field_label("name"), field_label("scope"),
                   field_label("max_points"), field_label("method"), field_label("villages")])
    for goal in goals:
        scheme.append([goal["code"], goal["name"], value_label("assess_scope", goal["scope"]),
                       goal["max_points"], value_label("assess_method", goal["method"]),
                       "、".join(goal["villages"])])
    scheme.append([])
    scheme.append([field_label("min_points"), field_label("grade"), field_label("consequence")])
    for band in report["scheme"]["bands"]:
        scheme.append([float(band["min"]), value_label("assess_grade", band["grade"]),
                       band["consequence"]])
    for sheet in (ranking, derived, scheme):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    target = Path(path)
    try:
        book.save(target)
    except OSError as exc:
        raise StorageError("error.assess_export", path=str(target),
                           detail=exc.strerror or str(exc)) from None
    return target
