"""The Streamlit pages: scripts that st.navigation runs (dashboard/ui/main.py); a package so
the import contracts (pyproject.toml) see what they import and a wheel ships them."""
