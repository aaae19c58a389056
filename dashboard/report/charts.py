"""12-week trend charts rendered to SVG offline (vl-convert: no browser, no network)."""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

from dashboard.present.formats import D3_TICK_FORMATS
from dashboard.present.status import Unit

# Chinese labels need a CJK font for vl-convert to measure and draw text.
CJK_FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/wqy",
    "/usr/share/fonts/opentype/noto-cjk",
)
FONT_FAMILY = (
    "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'Hiragino Sans GB', "
    "'WenQuanYi Micro Hei', Arial, sans-serif"
)
LINE_COLOUR = "#3b5b8c"
TARGET_COLOUR = "#9aa5b1"
_registered = False
_ids = itertools.count(1)

_Y_FORMAT = D3_TICK_FORMATS  # sparkline ticks: the formatter's coarse d3 formats


def _register_fonts() -> None:
    global _registered
    if _registered:
        return
    import vl_convert

    for directory in CJK_FONT_DIRS:
        if Path(directory).is_dir():
            vl_convert.register_font_directory(directory)
    _registered = True


def sparkline_spec(
    trend: tuple[tuple[date, float | None], ...],
    unit: Unit,
    target: float | None,
    *,
    value_title: str,
    target_title: str,
    monthly: bool = False,
) -> dict:
    """A small line chart of the weekly values, with the target as a dashed rule."""
    values = [{"week": d.isoformat(), "value": v} for d, v in trend]
    y = {
        "field": "value",
        "type": "quantitative",
        "title": None,
        "scale": {"zero": unit in ("count",)},
        "axis": {
            "format": _Y_FORMAT[unit],
            "tickCount": 3,
            "grid": True,
            "labelFontSize": 9,
            **_integer_ticks(trend, target, unit),
        },
    }
    x = {
        "field": "week",
        "type": "temporal",
        "title": None,
        "axis": {
            "format": "%Y-%m" if monthly else "%m-%d",
            "labelFontSize": 9,
            "tickCount": {"interval": "month", "step": 1} if monthly else 4,
            "grid": False,
        },
    }
    layers: list[dict] = [
        {
            "mark": {"type": "line", "color": LINE_COLOUR, "strokeWidth": 2},
            "encoding": {"x": x, "y": y},
        },
        {
            "mark": {"type": "point", "filled": True, "color": LINE_COLOUR, "size": 18},
            "encoding": {"x": x, "y": y},
        },
    ]
    if target is not None:
        layers.append(
            {
                "data": {"values": [{"target": target, "label": target_title}]},
                "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [4, 3]},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            }
        )
    return {
        "$schema": "",
        "data": {"values": values},
        "width": 250,
        "height": 64,
        "layer": layers,
        "description": value_title,
        "config": {
            "font": FONT_FAMILY,
            "view": {"stroke": None},
            "axis": {"domainColor": "#c7ccd1", "tickColor": "#c7ccd1", "labelColor": "#5f6b7a"},
            "background": None,
        },
    }


def _integer_ticks(
    trend: tuple[tuple[date, float | None], ...], target: float | None, unit: Unit
) -> dict:
    """Counts near zero would get ticks 0, 0.5, 1 printed as 0, 1, 1: list whole numbers."""
    if unit != "count":
        return {}
    top = max([v for _, v in trend if v is not None] + [target or 0, 0])
    return {"values": list(range(0, int(top) + 1))} if top <= 4 else {}


def render_svg(spec: dict) -> str:
    """SVG markup ready to inline in HTML: no namespace URLs, ids unique per chart."""
    import vl_convert

    _register_fonts()
    spec = {k: v for k, v in spec.items() if k != "$schema"}
    svg = vl_convert.vegalite_to_svg(spec)
    return inline_svg(svg)


def inline_svg(svg: str) -> str:
    # Inline SVG in HTML5 needs no xmlns; dropping them keeps the file free of any URL.
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    # Several charts in one page: clip-path/gradient ids must not collide.
    prefix = f"c{next(_ids)}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', svg)
    return svg
