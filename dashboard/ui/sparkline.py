"""The Overview's sparklines as a few lines of SVG (#14).

``st.metric(chart_data=...)`` draws each sparkline as its own Vega view; thirteen of them
cost the Overview more browser time than all its other elements (measured: about 0.8 s of
browser CPU a load at 100x on a loaded 2-core machine). The same line - the colour of the
tile's change, as Streamlit draws it - is a polyline here, with a point per period whose
tooltip names the period and its value (Streamlit's showed the bare number).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

# Streamlit's sparkline colours (its metric chart, light theme): good, bad, neutral.
GREEN, RED, GREY = "#079464", "#D94A57", "#6B7280"
WIDTH, HEIGHT, PAD = 220, 56, 5  # the view box; the line keeps PAD px from the edges


def line_colour(delta_text: str | None, delta_color: str) -> str:
    """The line's colour as ``st.metric`` picks it: by the sign of the change shown, green
    when that is good (``normal``: a rise; ``inverse``: a fall), grey when not judged."""
    if not delta_text or delta_color == "off":
        return GREY
    falling = delta_text.strip().startswith(("-", "−"))
    good = falling if delta_color == "inverse" else not falling
    return GREEN if good else RED


def _present(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def sparkline_svg(
    values: Sequence[float | None], labels: Sequence[str], stroke: str, name: str
) -> str | None:
    """An SVG line through ``values`` (a gap where one is missing), stretched to the width
    of its tile; ``labels`` are the points' tooltips; ``name`` the picture's accessible
    name. None when fewer than one value is present (nothing to draw)."""
    shown = [v for v in values if _present(v)]
    if not shown:
        return None
    low, high = min(shown), max(shown)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        middle = HEIGHT / 2 if high == low else HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD)
        return round(middle, 2)

    segments: list[list[tuple[float, float]]] = [[]]
    points: list[str] = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        if not _present(value):
            segments.append([])
            continue
        x = round(PAD + i * step if len(values) > 1 else WIDTH / 2, 2)
        segments[-1].append((x, y(value)))
        points.append(
            f'<circle cx="{x}" cy="{y(value)}" r="6" fill="transparent">'
            f"<title>{escape(label)}</title></circle>"
        )
    lines = "".join(
        f'<polyline points="{" ".join(f"{x},{yy}" for x, yy in seg)}" fill="none" '
        f'stroke="{stroke}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        'vector-effect="non-scaling-stroke"/>'
        for seg in segments
        if len(seg) > 1
    )
    dots = "".join(  # a lone value between gaps is a dot, as a line of one point is nothing
        f'<circle cx="{seg[0][0]}" cy="{seg[0][1]}" r="2" fill="{stroke}"/>'
        for seg in segments
        if len(seg) == 1
    )
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(name)}" style="width:100%;height:{HEIGHT}px;display:block">'
        f"{lines}{dots}{''.join(points)}</svg>"
    )
