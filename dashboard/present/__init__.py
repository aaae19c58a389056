"""The presentation layer: what the pages, the report, the SQL lab, notifications and the
CLI share to show a number - words in both languages (``i18n``), target status
(``status``) and the chart look (``chart_style``).

It sits below all of them and above the core: it may import the core, never ui, report,
sqllab, notify or the commands, and never Streamlit (enforced by import-linter contracts in
pyproject.toml)."""
