"""The indicators of shared/indicators.md (行政执法) that the 双随机一公开 plans count.

- ``random_inspections`` 双随机抽查任务数: plans drawn in the period (by 抽取日期).
Plans are written by this app's services, not through the register framework, so their figures are
counted each time (``Via``, ``DueIn``), never kept.
- ``random_inspection_objects`` 双随机抽查对象数: objects drawn by those plans, in the plan's unit.
- ``random_inspection_publicity_timely_rate`` 抽查结果公示及时率: of the plans whose results fall due for
  publication in the period — ``services.results_due``: rule ``random_inspection.result_publicity``,
  working days from 结果录入 — those published by then. The due date is counted by the app's own rule
  (working days, a unit's local override), row by row: a county has hundreds of plans a year, not more.
"""

from fazhi.indicators.formulas import Definition, DueIn, Ratio, Via, define

from .models import DrawnObject, InspectionPlan
from .services import results_due

# 20 working days are at most 40 calendar days even across the Spring Festival and National Day breaks
LOOKBACK = 60

define(
    # the plans are written by the inspections services, not the register framework: never kept, so Via
    Definition(
        "random_inspections", Via(InspectionPlan, "unit", "drawn_on"), basis="期内完成随机抽取的抽查计划"
    ),
    Definition(
        "random_inspection_objects",
        Via(DrawnObject, "plan__unit", "plan__drawn_on"),
        basis="期内抽取的抽查计划抽中的检查对象（户）",
    ),
    Definition(
        "random_inspection_publicity_timely_rate",
        Ratio(
            numerator=(
                DueIn(InspectionPlan, "results_due", results_due, "results_on", LOOKBACK, "published_on"),
            ),
            denominator=(DueIn(InspectionPlan, "results_due", results_due, "results_on", LOOKBACK),),
        ),
        target_rule="targets.random_inspection_publicity_timely_rate",
        basis="公示期限在期内的抽查计划中，在期限内公示结果的 / 公示期限在期内的抽查计划",
    ),
)
