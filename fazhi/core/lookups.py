"""Query lookups the project registers on Django's fields (CoreConfig.ready)."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """``id__in`` ignores ids outside the column's range, as Django's own ``exact``/``gt``… lookups do
    since 5.0. Without it a tampered form (a multiple choice of 99999999999999999999) fails in the
    driver — SQLite: OverflowError, PostgreSQL: bigint out of range — and the page answers 500 instead
    of "选择一个有效的选项"."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                v
                for v in self.rhs
                if not isinstance(v, int) or ((low is None or v >= low) and (high is None or v <= high))
            ]
        return super().process_rhs(compiler, connection)
