"""What the rules announce to the layers above them (which the rules never import).

``rules_changed`` is sent inside the transaction of the change, after a rule override is saved or
deleted: every deadline counted from the rules may have moved. Arguments: ``actor`` (the User, or None),
``unit`` (the unit whose override changed: it and the units below it are affected). A receiver that
does real work queues it (fazhi.jobs.services.start enqueues on commit, so a rolled-back change queues
nothing). The working-day calendar announces a loaded schedule the same way:
``fazhi.workdays.signals.schedules_changed``.
"""

from django.dispatch import Signal

rules_changed = Signal()
