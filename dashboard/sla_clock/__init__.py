"""The SLA clock (issue #17): which hours count towards a complaint's SLA.

A complaint's SLA runs on the ``calendar`` clock (every hour counts) or the ``business``
clock (only working hours on working days count; shared/spec/kpis.md "The SLA clock").

* ``config``: the ``[calendar]`` settings and the clock names, parsed with clear errors.
* ``calendar``: the working calendar of a ``CalendarSettings`` - each date's status and
  where it comes from (the ``holidays`` package's China calendar, an override, the weekday).
* ``params``: what the SQL needs, bound as parameters: the business hours themselves are
  computed in SQL, once, in ``queries/int_complaints_sla.sql``.
"""

from dashboard.sla_clock.config import CLOCKS, CalendarSettings

__all__ = ["CLOCKS", "CalendarSettings"]
