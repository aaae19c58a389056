"""What every page needs for one run: filters, language, settings, dimensions.

Built once per run by ``main.run`` and handed to the page scripts through session state
(st.Page runs a page file as a script, so it cannot take arguments).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from dashboard.present.i18n import t as translate
from dashboard.settings import Settings
from dashboard.ui.filters import FilterState

_KEY = "_ui_context"


@dataclass(frozen=True)
class Context:
    state: FilterState
    settings: Settings
    dimensions: tuple[tuple[str, str], ...]
    span: tuple[date, date] | None

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def all_projects(self) -> list[str]:
        """Every project in the data: the colour domain, identical on every page."""
        return sorted({p for _, p in self.dimensions})

    @property
    def is_empty(self) -> bool:
        return self.span is None

    def t(self, key: str, **fmt: object) -> str:
        return translate(key, self.lang, **fmt)

    def target_value(self, kpi_column: str) -> float | None:
        """The settings' target for a KPI column (a chart's target line), None without one."""
        target = self.settings.target(kpi_column)
        return target.value if target else None


def put(ctx: Context) -> None:
    st.session_state[_KEY] = ctx


def get() -> Context:
    return st.session_state[_KEY]
