"""The rules of the annual assessment (考核, 《农村两委班子考核办法》): goals, how each is
scored, the default scheme, and the score bands that decide rewards and penalties.

A scheme belongs to a year. Each goal has maximum points and a scoring method:

- ``hand``: the subdistrict Party committee's assessors enter the points, with a note saying
  why (``assessment.score``);
- ``petitions`` (信访稳定): full points minus ``per_petition`` (default 0.5) for each
  petition from the village received in the year and ``per_repeat`` (default 1) more for
  each of those that repeats an earlier one, floored at 0:
  ``max(0, max - per_petition*petitions - per_repeat*repeats)``;
- ``tickets`` (为民办实事, the proxy service): ``max * (on_time_weight * on-time rate +
  satisfaction_weight * satisfaction)`` over the village's tickets received in the year; the
  on-time rate is of the tickets done, satisfaction counts a basically satisfied rating as
  half a satisfied one; a part with no tickets to judge (none done, none rated) counts in
  full: nothing was late, nobody was dissatisfied;
- ``decisions`` (民主决策): of the village's decisions resolved by the villagers in the year,
  the share of the two disclosures made by the year's end (resolution and results):
  ``max * (resolutions published + results published) / (2 * resolved)``; with nothing
  resolved there was nothing to disclose: full points;
- ``satisfaction`` (群众满意度): ``max * score`` of the year's surveys summed (a basically
  satisfied answer counts half); no survey in the year scores 0: a village that was not
  surveyed cannot show its residents are satisfied;
- ``training`` (学时): ``max * met / members``: the share of the village's committee
  members in office whose credit hours in the year reach ``training.required_hours``
  (read from ``training.report``); a village with no member in office scores in full;
- ``duty`` (值班): ``max * covered / slots`` over the village's service stations in the year
  (``roster.coverage``): the slots are every shift of each station's pattern on every day
  it is staffed, from the day it was set up to the year's end (or today, in a year still
  running); covered ones had someone on duty (a member or staff), gaps had nobody, unplanned
  ones were never written (a staffed day without a roster is not covered). A village with
  no station, or none open in the year, has nothing to cover: full points.

Goals are common (every village) or village-specific (the villages named). Bands: a total
of at least ``min`` earns the band's grade and consequence; the highest band met applies.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ledger.errors import ValidationError
from ledger.fields import choice, text_field
from ledger.office import Office

SCOPES = ("common", "village")
METHODS = ("hand", "petitions", "tickets", "training", "duty", "decisions", "satisfaction")
# Methods whose records are not kept yet: a goal using one is refused, naming the method.
UNAVAILABLE: tuple[str, ...] = ()
DERIVED = tuple(m for m in METHODS if m != "hand")
GRADES = ("excellent", "good", "pass", "fail")

DEFAULT_PARAMS: dict[str, dict[str, str]] = {
    "hand": {},
    "petitions": {"per_petition": "0.5", "per_repeat": "1"},
    "tickets": {"on_time_weight": "0.5", "satisfaction_weight": "0.5"},
    "decisions": {},
    "satisfaction": {},
    "training": {},
    "duty": {},
}

# Village-specific goals of the default scheme name villages by their relocation status:
# land acquisition and demolition where relocation is under way or coming, key projects
# where the land is settled.
RELOCATING = ("demolished_rebuilding", "resettled_elsewhere", "preparing_demolition")

# (code, scope, max points, method, villages' relocation statuses for a village goal)
DEFAULT_GOALS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("party_building", "common", "20", "hand", ()),
    ("new_countryside", "common", "15", "hand", ()),
    ("practical_help", "common", "15", "tickets", ()),
    ("petition_stability", "common", "15", "petitions", ()),
    ("family_planning", "common", "10", "hand", ()),
    ("democratic_decisions", "common", "5", "decisions", ()),
    ("residents_satisfaction", "common", "10", "satisfaction", ()),
    ("land_acquisition", "village", "10", "hand", RELOCATING),
    ("key_projects", "village", "10", "hand",
     ("flattened_returned", "urban_village", "not_affected")),
)
DEFAULT_BANDS: tuple[tuple[str, str], ...] = (
    ("90", "excellent"), ("80", "good"), ("60", "pass"), ("0", "fail"))

MAX_POINTS = Decimal("1000")
CENT = Decimal("0.01")


def decimal_points(field: str, value: Any, *, maximum: Decimal = MAX_POINTS) -> Decimal:
    """Points: 0 to ``maximum``, at most two decimal places."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(field, "error.required")
    if isinstance(value, bool):
        raise ValidationError(field, "error.assess_bad_points", value=value, max=show(maximum))
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(field, "error.assess_bad_points", value=value,
                              max=show(maximum)) from None
    if not points.is_finite() or points < 0 or points > maximum:
        raise ValidationError(field, "error.assess_bad_points", value=value, max=show(maximum))
    if points != points.quantize(CENT):
        raise ValidationError(field, "error.assess_points_cents", value=value)
    return points.quantize(CENT)


def show(points: Decimal | None) -> str:
    """Points as people write them: ``15``, ``7.5``, ``13.13``."""
    if points is None:
        return ""
    text = f"{points.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def show_number(points: float | None) -> str:
    """A report's points (a float) as people write them."""
    return "" if points is None else show(Decimal(str(points)))


def as_number(points: Decimal | None) -> float | None:
    return None if points is None else float(points.quantize(CENT))


def clean_params(method: str, params: Any) -> dict[str, str]:
    """A method's settings: the defaults, overridden by ``params`` (numbers ≥ 0)."""
    given = params or {}
    if isinstance(given, str):
        try:
            given = json.loads(given) if given.strip() else {}
        except ValueError:
            raise ValidationError("params", "error.assess_bad_params") from None
    if not isinstance(given, dict):
        raise ValidationError("params", "error.assess_bad_params")
    out = dict(DEFAULT_PARAMS[method])
    for key, value in given.items():
        if key not in out:
            raise ValidationError("params", "error.assess_unknown_param", key=key,
                                  choices=", ".join(out) or "-")
        out[key] = show(decimal_points("params", value, maximum=Decimal("100")))
    if method == "tickets":
        total = Decimal(out["on_time_weight"]) + Decimal(out["satisfaction_weight"])
        if total != 1:
            raise ValidationError("params", "error.assess_weights_sum", total=show(total))
    return out


def clean_goal(office: Office, data: dict[str, Any], *,
               current: dict[str, Any] | None = None) -> dict[str, Any]:
    """THE validator of a goal (its villages are looked up by the caller)."""
    merged = {**(current or {}), **data}
    code = text_field("code", merged.get("code"), 30, required=True)
    if not code.replace("_", "").replace("-", "").isalnum() or code.isdigit():
        raise ValidationError("code", "error.assess_bad_code", value=code)
    method = choice("method", merged.get("method") or "hand", METHODS)
    if method in UNAVAILABLE:
        raise ValidationError("method", "error.assess_method_unavailable", method=method)
    return {
        "code": code,
        "name": text_field("name", merged.get("name"), 100, required=True),
        "scope": choice("scope", merged.get("scope") or "common", SCOPES),
        "max_points": decimal_points("max_points", merged.get("max_points"),
                                     maximum=Decimal("100")),
        "method": method,
        "params": clean_params(method, merged.get("params")),
    }


def clean_bands(bands: Any) -> list[dict[str, str]]:
    """Bands as ``[{"min": "90", "grade": "excellent", "consequence": "…"}]`` (or text
    ``MIN:GRADE[:CONSEQUENCE]``), highest first; one of them must start at 0 so every
    total falls in a band, and no two may share a minimum."""
    if not isinstance(bands, list | tuple) or not bands:
        raise ValidationError("bands", "error.assess_bad_bands")
    out = []
    for band in bands:
        if isinstance(band, str):
            parts = band.split(":", 2)
            if len(parts) < 2:
                raise ValidationError("bands", "error.assess_bad_band", value=band)
            band = {"min": parts[0], "grade": parts[1],
                    "consequence": parts[2] if len(parts) > 2 else ""}
        if not isinstance(band, dict):
            raise ValidationError("bands", "error.assess_bad_bands")
        out.append({"min": show(decimal_points("bands", band.get("min"))),
                    "grade": choice("bands", band.get("grade"), GRADES),
                    "consequence": text_field("bands", band.get("consequence"), 500)})
    out.sort(key=lambda b: Decimal(b["min"]), reverse=True)
    mins = [b["min"] for b in out]
    if len(set(mins)) != len(mins):
        raise ValidationError("bands", "error.assess_band_twice")
    if Decimal(out[-1]["min"]) != 0:
        raise ValidationError("bands", "error.assess_band_from_zero")
    return out


def band_for(total: Decimal, bands: list[dict[str, str]]) -> dict[str, str]:
    for band in bands:
        if total >= Decimal(band["min"]):
            return band
    return bands[-1]


# --- the derived methods' formulas -----------------------------------------------------------

def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def score_petitions(max_points: Decimal, params: dict[str, str],
                    inputs: dict[str, Any]) -> tuple[Decimal, str]:
    per_p, per_r = Decimal(params["per_petition"]), Decimal(params["per_repeat"])
    n, r = inputs["petitions"], inputs["repeats"]
    points = max(Decimal(0), max_points - per_p * n - per_r * r)
    formula = (f"max(0, {show(max_points)} - {show(per_p)}×{n} - {show(per_r)}×{r})"
               f" = {show(_q(points))}")
    return _q(points), formula


def score_tickets(max_points: Decimal, params: dict[str, str],
                  inputs: dict[str, Any]) -> tuple[Decimal, str]:
    w_time, w_sat = Decimal(params["on_time_weight"]), Decimal(params["satisfaction_weight"])
    on_time = (Decimal(inputs["on_time"]) / Decimal(inputs["done"])
               if inputs["done"] else Decimal(1))
    rated = inputs["rated"]
    satisfaction = ((Decimal(inputs["satisfied"]) + Decimal(inputs["basically_satisfied"]) / 2)
                    / Decimal(rated) if rated else Decimal(1))
    points = _q(max_points * (w_time * on_time + w_sat * satisfaction))
    formula = (f"{show(max_points)} × ({show(w_time)}×{_ratio(on_time)} + "
               f"{show(w_sat)}×{_ratio(satisfaction)}) = {show(points)}")
    return points, formula


def score_decisions(max_points: Decimal, params: dict[str, str],
                    inputs: dict[str, Any]) -> tuple[Decimal, str]:
    resolved = inputs["resolved"]
    done = inputs["resolution_published"] + inputs["results_published"]
    if not resolved:
        return _q(max_points), f"{show(max_points)} (0 resolved) = {show(max_points)}"
    points = _q(max_points * Decimal(done) / Decimal(2 * resolved))
    return points, f"{show(max_points)} × {done}/(2×{resolved}) = {show(points)}"


def score_satisfaction(max_points: Decimal, params: dict[str, str],
                       inputs: dict[str, Any]) -> tuple[Decimal, str]:
    total = inputs["respondents"]
    if not total:
        return Decimal("0.00"), "0 (no survey) = 0"
    score = (Decimal(inputs["satisfied"]) + Decimal(inputs["basically_satisfied"]) / 2) / total
    points = _q(max_points * score)
    return points, (f"{show(max_points)} × ({inputs['satisfied']} + "
                    f"{inputs['basically_satisfied']}/2)/{total} = {show(points)}")


def score_training(max_points: Decimal, params: dict[str, str],
                   inputs: dict[str, Any]) -> tuple[Decimal, str]:
    return _share(max_points, inputs["met"], inputs["members"], "members")


def score_duty(max_points: Decimal, params: dict[str, str],
               inputs: dict[str, Any]) -> tuple[Decimal, str]:
    return _share(max_points, inputs["covered"], inputs["slots"], "slots")


def _share(max_points: Decimal, part: int, whole: int, unit: str) -> tuple[Decimal, str]:
    """Points in proportion to ``part`` of ``whole``; nothing to count earns them all."""
    if not whole:
        return _q(max_points), f"{show(max_points)} (0 {unit}) = {show(max_points)}"
    points = _q(max_points * Decimal(part) / Decimal(whole))
    return points, f"{show(max_points)} × {part}/{whole} = {show(points)}"


def _ratio(value: Decimal) -> str:
    return show(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


FORMULAS = {"petitions": score_petitions, "tickets": score_tickets,
            "decisions": score_decisions, "satisfaction": score_satisfaction,
            "training": score_training, "duty": score_duty}
