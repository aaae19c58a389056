"""Service-quality KPI dashboard: exports -> DuckDB -> SQL KPIs -> Streamlit."""

__version__ = "0.1.0"
