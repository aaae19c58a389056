"""Charts built once per input (#14): a page names the builder and its inputs (a
``Recipe``), and the Vega-Lite spec - with the events of the timeline drawn on it and its
data already as Arrow - is built on the first run with those inputs and reused by every
later run and session (``st.cache_data``, keyed on every input: the frames' contents, the
language, the events, the settings).

Building an Altair chart and turning it into a spec cost 50-150 ms per chart at 100x (the
schema validation of every object alone about half of it), paid on every run of a page of
four to seven charts; a cached spec costs a hash of the inputs. Altair's own validation is
still exercised: the tests build every chart with ``to_dict()``, which validates.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st


@dataclass(frozen=True)
class Recipe:
    """A chart to build: ``builder(*args, **kwargs)``, a pure function of its inputs."""

    builder: Callable[..., alt.TopLevelMixin]
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]

    def build(self) -> alt.TopLevelMixin:
        return self.builder(*self.args, **dict(self.kwargs))


def recipe(builder: Callable[..., alt.TopLevelMixin], *args: Any, **kwargs: Any) -> Recipe:
    return Recipe(builder, args, tuple(sorted(kwargs.items())))


def _sub_charts(chart: object) -> list[object]:
    found: list[object] = []
    for attr in ("layer", "hconcat", "vconcat", "concat"):
        value = getattr(chart, attr, alt.Undefined)
        if isinstance(value, list):
            found.extend(value)
    inner = getattr(chart, "spec", alt.Undefined)  # facet / repeat
    if isinstance(inner, alt.TopLevelMixin | alt.Chart | alt.LayerChart):
        found.append(inner)
    return found


def _name_frames(chart: object, frames: dict[str, bytes], seen: dict[int, str]) -> None:
    """Replace every DataFrame of ``chart`` (mutated: a freshly built chart) by a named
    dataset, its Arrow bytes in ``frames`` under a content-hash name (as Streamlit names
    them)."""
    from streamlit import dataframe_util

    data = getattr(chart, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        name = seen.get(id(data))
        if name is None:
            payload = dataframe_util.convert_anything_to_arrow_bytes(data)
            name = hashlib.sha256(payload).hexdigest()[:32]
            frames[name] = payload
            seen[id(data)] = name
        chart.data = alt.NamedData(name=name)
    for sub in _sub_charts(chart):
        _name_frames(sub, frames, seen)


def _without_default_theme(spec: dict[str, Any]) -> dict[str, Any]:
    """Streamlit draws a chart without Altair's default theme (its fixed 300 px view size):
    drop what that theme added to the config."""
    if alt.theme.active != "default":
        return spec
    theme = alt.theme.get()().get("config", {}) if alt.theme.get() else {}
    config = spec.get("config")
    if not isinstance(config, dict):
        return spec
    for section, values in theme.items():
        mine = config.get(section)
        if isinstance(mine, dict) and isinstance(values, dict):
            for key, value in values.items():
                if mine.get(key) == value:
                    del mine[key]
            if not mine:
                del config[section]
    if not config:
        del spec["config"]
    return spec


def drawn_on_canvas(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` drawn by Vega's canvas renderer, without per-item ARIA descriptions (#14).

    Streamlit's Vega draws SVG unless told otherwise: one DOM node per bar, point and
    hover cell (3,400 for Retention's by-project chart, 5,700 on the page), each styled,
    laid out and measured by the browser, and a description string built per item through
    Vega's expression interpreter. A canvas draws the same marks, tooltips, zoom, legend
    picks and clicks; the item descriptions only ever reached the SVG (Streamlit itself
    turns both off for large charts), and every chart's rows stay readable in its "Data
    table" section."""
    options = spec.get("usermeta", {}).get("embedOptions", {})
    spec["usermeta"] = {
        **spec.get("usermeta", {}),
        "embedOptions": {**options, "renderer": "canvas"},
    }
    spec["config"] = {**spec.get("config", {}), "aria": False}
    return spec


def vega_lite(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite spec, its datasets as Arrow bytes under ``datasets`` (what
    ``st.vega_lite_chart`` sends as they are), drawn on a canvas (``drawn_on_canvas``).
    ``chart`` is consumed (its data replaced)."""
    frames: dict[str, bytes] = {}
    _name_frames(chart, frames, {})
    spec = drawn_on_canvas(_without_default_theme(chart.to_dict(validate=False)))
    spec.pop("$schema", None)
    if frames:
        spec["datasets"] = {**spec.get("datasets", {}), **frames}
    return spec


def _resolve(module: str, name: str) -> Callable[..., alt.TopLevelMixin]:
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


@st.cache_data(show_spinner=False, max_entries=1024)
def _built(
    module: str,
    name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    notes: tuple[object, ...] | None,  # the timeline's inputs (events_layer.notes_key)
    _annotate: Callable[[alt.TopLevelMixin], alt.TopLevelMixin] | None,
) -> dict[str, Any]:
    chart = Recipe(_resolve(module, name), args, kwargs).build()
    if _annotate is not None:
        chart = _annotate(chart)
    return vega_lite(chart)


def spec_of(
    made: Recipe,
    notes: tuple[object, ...] | None,
    annotate: Callable[[alt.TopLevelMixin], alt.TopLevelMixin] | None,
) -> dict[str, Any]:
    """The cached spec of ``made`` with the timeline's notes (``annotate``, whose inputs
    ``notes`` are part of the key; None: no notes)."""
    builder = made.builder
    return _built(builder.__module__, builder.__qualname__, made.args, made.kwargs, notes, annotate)
