"""What the working-day calendar announces to the layers above it (which it never imports).

``schedules_changed`` is sent inside the transaction that loads (or replaces) a year's holiday schedule:
every deadline counted in working days may have moved. Arguments: ``actor`` (the User, or None),
``years`` (the years whose schedule changed). Receivers queue their work on commit.
"""

from django.dispatch import Signal

schedules_changed = Signal()
