"""Events on the timeline (#12): dated notes ("new hotline opened", "typhoon") drawn on every
time chart.

* ``model``: ``EventDraft``/``Event`` and their checks (``EventProblem``, worded in both
  languages by ``words``).
* ``store``: the ``events`` table - list, add, change, delete; only roles with the
  ``timeline`` capability (admins, analysts) may change it.
* ``importer``: an events CSV/XLSX (``kpi ingest --kind events FILE``).
* ``holidays``: public holidays of the configured ``[calendar]`` as shaded bands.

The charts read events through ``queries/events.sql`` (filters and scopes apply) and draw
them with ``dashboard.ui.timeline``.
"""
