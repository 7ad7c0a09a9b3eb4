"""The annual assessment (考核) of each village's two committees: a scheme per year (goals,
their points and scoring methods, score bands), hand scores with notes, and the report that
derives the other scores from the records and ranks the villages.

    from ledger import assessment
    assessment.create_scheme(office, 2025)
    assessment.score(office, year=2025, village="V01", goal="party_building", points=18,
                     note="组织生活规范")
    assessment.report(office, year=2025)
"""

from ledger.assessment.query import (
    find_goal,
    find_scheme,
    get_scheme,
    latest_year,
    list_schemes,
)
from ledger.assessment.report import report
from ledger.assessment.rules import (
    DERIVED,
    GRADES,
    METHODS,
    SCOPES,
    UNAVAILABLE,
    clean_bands,
    clean_goal,
    show,
    show_number,
)
from ledger.assessment.service import add_goal, create_scheme, score, set_bands

__all__ = [
    "DERIVED", "GRADES", "METHODS", "SCOPES", "UNAVAILABLE", "add_goal", "clean_bands",
    "clean_goal", "create_scheme", "find_goal", "find_scheme", "get_scheme", "latest_year",
    "list_schemes", "report", "score", "set_bands", "show",
    "show_number",
]
