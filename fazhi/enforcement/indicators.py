"""The indicators of shared/indicators.md (行政执法) that this area's registers count.

- ``enforcement_staff`` 行政执法人员数: certificates in force at the period's end (issued by then, not
  注销/收回 and not expired by then), 暂扣 included: the people the unit has as 执法人员 on its list.
- ``certified_staff`` 持证执法人员数: the same, less those whose certificate is 暂扣 now (the current
  state; a suspension already lifted is not counted back).
  Both count certificates: a person holding two (two 执法领域) is counted twice; the demo and the usual
  practice issue one per person.
- ``certificates_issued`` 换(发)执法证件数: certificates issued in the period (new and renewed).
- ``certificates_revoked`` 收回注销执法证件数: certificates 注销 or 收回 in the period.
- ``exam_candidates`` / ``exam_pass_rate``: sittings of the 执法资格考试 in the period (voided records
  left out), and the share passed (numerator: passed sittings; denominator: all sittings).
- ``training_hours_compliance_rate`` 执法人员培训学时达标率: of the people holding a certificate in force
  at the period's end (as ``enforcement_staff``, each person once per unit), those whose training hours
  recorded in the year (voided records left out) reach rule ``enforcement.training_hours``: the same
  people and sums as ``selectors.training_compliance`` (the page and its export), counted in SQL for
  every unit at once (a grouped subquery per person). The threshold is the national rule's.
- ``enforcement_trainings`` 执法培训场次: a session is one unit's training on one day with one 培训内容
  (the register has one record per person trained), so the distinct (unit, date, course) of the year.
"""

from django.db.models import F, Q

from fazhi.indicators.formulas import (
    Count,
    Definition,
    Distinct,
    InForce,
    People,
    Ratio,
    Reaching,
    define,
)

from .models import (
    CaseType,
    Certificate,
    CertificateStatus,
    EnforcementCase,
    ExamSitting,
    Outcome,
    RecordStatus,
    Training,
)

COUNTED = ~Q(status=RecordStatus.VOIDED)
CLOSED = Q(status__in=[CertificateStatus.REVOKED, CertificateStatus.WITHDRAWN])

define(
    Definition(
        "enforcement_staff",
        InForce(Certificate, "issued_on", "ended_on"),
        basis="期末持有未注销、未收回且在有效期内执法证的人员（含暂扣）",
    ),
    Definition(
        "certified_staff",
        InForce(Certificate, "issued_on", "ended_on", ~Q(status=CertificateStatus.SUSPENDED)),
        basis="期末持有有效执法证的人员（不含当前暂扣）",
    ),
    Definition("certificates_issued", Count(Certificate, "issued_on"), basis="期内发放（含换发）的执法证"),
    Definition(
        "certificates_revoked", Count(Certificate, "closed_on", CLOSED), basis="期内注销、收回的执法证"
    ),
    Definition("exam_candidates", Count(ExamSitting, "sat_on", COUNTED), basis="期内参加执法资格考试的人次"),
    Definition(
        "exam_pass_rate",
        Ratio(
            numerator=(Count(ExamSitting, "sat_on", COUNTED & Q(passed=True)),),
            denominator=(Count(ExamSitting, "sat_on", COUNTED),),
        ),
        basis="考试合格人次 / 参加考试人次",
    ),
    Definition(
        "training_hours_compliance_rate",
        Ratio(
            numerator=(
                People(
                    Certificate,
                    "holder",
                    "issued_on",
                    "ended_on",
                    reaching=Reaching(
                        Training, "person", "hours", "trained_on", "enforcement.training_hours", COUNTED
                    ),
                ),
            ),
            denominator=(
                People(
                    Certificate, "holder", "issued_on", "ended_on", only_while="enforcement.training_hours"
                ),
            ),
        ),
        target_rule="targets.training_hours_compliance_rate",
        basis="年末持有执法证的人员中，当年培训学时（不含作废记录）达到规定学时的人数 / 年末持证人数",
    ),
    Definition(
        "enforcement_trainings",
        Distinct(Training, "trained_on", ("trained_on", "course"), COUNTED),
        basis="期内开展的执法培训：同一单位同一日期同一培训内容的培训记录计为一场次",
    ),
)

# -- 行政执法案件 (issue 13 §2): counted at the decision date; 撤销案件 is no decision on the merits.
DECIDED = Q(decided_on__isnull=False) & ~Q(outcome=Outcome.REVOKED)
MAJOR = DECIDED & Q(major=True)
# A 行政处罚决定: a case of type 行政处罚 decided with a penalty (the constraint case_outcome_fits_type
# keeps that outcome to that type). ``penalty_cases`` and the denominator of
# ``penalty_publicity_timely_rate`` count the same cases; the dashboard's 结案未公示 notice
# (``selectors.closed_unpublished``) counts every decision's 公示 (``registers.publicity_rule``).
PUNISHED = Q(case_type=CaseType.PENALTY, outcome=Outcome.PENALTY)

define(
    Definition(
        "penalty_cases",
        Count(EnforcementCase, "decided_on", PUNISHED),
        basis="期内作出行政处罚决定的案件",
    ),
    Definition(
        "major_decision_legal_review_rate",
        Ratio(
            numerator=(
                Count(
                    EnforcementCase,
                    "decided_on",
                    MAJOR & Q(legal_review_on__isnull=False, legal_review_on__lte=F("decided_on")),
                ),
            ),
            denominator=(Count(EnforcementCase, "decided_on", MAJOR),),
        ),
        target_rule="targets.major_decision_legal_review_rate",
        basis="决定前经法制审核的重大执法决定 / 期内作出的重大执法决定",
    ),
    Definition(
        "no_penalty_first_offense",
        Count(EnforcementCase, "decided_on", Q(outcome=Outcome.NO_PENALTY_FIRST)),
        basis="期内首违不罚的案件",
    ),
    Definition(
        "no_penalty_minor",
        Count(EnforcementCase, "decided_on", Q(outcome=Outcome.NO_PENALTY_MINOR)),
        basis="期内因违法行为轻微并及时改正不予处罚的案件",
    ),
    Definition(
        "penalty_publicity_timely_rate",
        Ratio(
            numerator=(
                Count(
                    EnforcementCase,
                    "decided_on",
                    PUNISHED & Q(published_on__isnull=False, published_on__lte=F("publicity_due")),
                ),
            ),
            denominator=(Count(EnforcementCase, "decided_on", PUNISHED),),
        ),
        target_rule="targets.penalty_publicity_timely_rate",
        basis="期限内公示的行政处罚决定 / 期内作出的行政处罚决定",
    ),
)
