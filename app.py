"""Streamlit entry point: ``streamlit run app.py``."""

from dashboard.ui.main import run

run()
