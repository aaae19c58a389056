"""The look every chart shares - dashboard pages, the SQL lab's quick charts and analyst
query charts: a CJK-capable font, the palette (a project keeps its colour everywhere), the
d3 number formats of axes and tooltips, and ``style``. Pure Altair, no Streamlit."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from dashboard.present.formats import D3_FORMATS

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
HEIGHT = 280
TARGET_COLOUR = "#d62728"
# Tableau 20, then repeated: enough distinct colours for typical project counts.
PALETTE = (
    # Tableau 10, then hues far from all of them (a demo company has ~15 projects).
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#17becf", "#393b79", "#bcbd22", "#843c39", "#7b4173", "#637939",
    "#d6616b", "#5254a3", "#8c6d31", "#3182bd",
)  # fmt: skip
GOOD, BAD = "#2e7d32", "#c62828"
# Measures within one chart (never red: red is the target line).
SERIES = ("#1f5fa8", "#f28e2b", "#59a14f", "#76b7b2", "#b07aa1")
CSAT_COLOURS = ("#c62828", "#ef6c00", "#fdd835", "#7cb342", "#2e7d32")  # 1 (bad) .. 5 (good)

# d3 formats of axes and tooltips: the formatter's (one place for how a unit reads)
PERCENT = D3_FORMATS["rate"]
NUMBER = D3_FORMATS["count"]
DECIMAL = D3_FORMATS["hours"]
SCORE = D3_FORMATS["score"]


def project_scale(projects: Sequence[str]) -> alt.Scale:
    """One colour per project, the same on every page: domain = the full sorted project list."""
    domain = sorted(set(projects))
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(domain))]
    return alt.Scale(domain=domain, range=colours)


def style(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Fonts (CJK-capable) and a quiet look; applied to every top-level chart."""
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFont=FONT, titleFont=FONT, labelFontSize=11, titleFontSize=12)
        .configure_legend(labelFont=FONT, titleFont=FONT, orient="bottom")
        .configure_title(font=FONT, anchor="start")
        .configure_view(stroke=None)
    )
