"""Altair chart builders: pure functions from an (already aggregated) KPI DataFrame to a chart.

No Streamlit here, so every builder is tested on its Vega-Lite spec (``chart.to_dict()``).

* ``parts`` - the building blocks every chart shares: time axes, zoom / hover / click
  selections, legends, stacking, target rules;
* ``over_time`` - charts over the period axis: ``trend``, ``by_project_trend``,
  ``leaky_bucket``, ``category_trend``, ``csat_distribution``;
* ``breakdowns`` - charts across something else: the cohort heatmap, the resolution-time
  distribution, complaints by category and channel, the project ranking.

Conventions shared by all charts:

* every mark has a tooltip with translated titles; line charts show the values of the
  period nearest the pointer, with a vertical rule, so the pointer need not hit a 2 px line;
* time axes zoom with Shift + mouse wheel and pan by dragging (an interval selection bound
  to the x scale); a plain wheel scrolls the page; a double-click resets;
* legends highlight their series on click (a point selection bound to the legend);
* a project always has the same colour (``project_scale`` over the full project list);
* targets are dashed red rules;
* a CJK-capable font so Chinese labels render (``dashboard.present.chart_style``).

Import the module a chart lives in (``from dashboard.ui.charts import over_time``): this
package re-exports nothing.
"""
