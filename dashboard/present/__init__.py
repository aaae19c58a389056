"""The presentation layer: what the pages, the report, the SQL lab, notifications and the
CLI share to show a number.

* ``i18n`` - the one catalogue of words in zh/en (``t(key, lang)``): the pages' words, the
  report's (``report.*``, data in ``words_report``) and notifications' (``notify.*``,
  ``notify_log.*``, data in ``words_notify``);
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
