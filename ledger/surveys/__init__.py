"""Residents' satisfaction surveys (群众满意度测评) of each village's service, beyond the
rating on each ticket: entered by hand, summed per village per year.

    from ledger import surveys
    surveys.add_survey(office, village="V01", surveyed_on="2026-06-30", satisfied=80,
                       basically_satisfied=15, dissatisfied=5)
    surveys.report(office, year=2026)
"""

from ledger.surveys.query import (
    SurveyFilter,
    count_surveys,
    find_survey,
    get_survey,
    iter_surveys,
    list_surveys,
    survey_dict,
    survey_totals,
    survey_years,
)
from ledger.surveys.report import report
from ledger.surveys.rules import ANSWERS, SCORE_WEIGHTS, clean_survey, shares
from ledger.surveys.service import add_survey, edit_survey

__all__ = [
    "ANSWERS", "SCORE_WEIGHTS", "SurveyFilter", "add_survey", "clean_survey", "count_surveys",
    "edit_survey", "find_survey", "get_survey", "iter_surveys", "list_surveys", "report",
    "shares", "survey_dict", "survey_totals", "survey_years",
]
