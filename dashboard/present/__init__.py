"""The presentation layer: what the pages, the report, the SQL lab, notifications and the
CLI share to show a number.

* ``i18n`` - the one catalogue of words in zh/en (``t(key, lang)``) and its registry of
  areas, one ``words_*`` module each: the app's shell (``words_app``), KPI and column names
  (``words_kpis``), the Overview, the KPI pages, the drill-down, the SLA clock, the Data
  page, analyst queries, the SQL lab and access, all under bare keys; the report's
  (``report.*``, ``words_report``) and notifications' (``notify.*``, ``notify_log.*``,
  ``words_notify``);
* ``formats`` - the one formatter (Babel): numbers by unit, changes, dates, table cells,
  and the d3 strings of chart axes;
* ``query_labels`` - a result column's label (the query file's ``[labels]``, else a word);
* ``status`` - target status (green / amber / red) and good or bad news;
* ``headlines`` and ``periods`` - the headline KPIs and the ISO-week / month rule;
* ``chart_style`` - fonts, palette, number formats and the style of every chart;
* ``sla_note`` - the SLA clock of each rule, in words.

It sits below all of them and above the core: it may import the core, never ui, report,
sqllab, notify, bench or the commands, and never Streamlit (import-linter contracts in
pyproject.toml)."""
