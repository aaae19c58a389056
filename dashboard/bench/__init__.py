"""`kpi bench`: how fast the dashboard is at 1x, 10x and 100x of the demo data, next to a
plain pandas script over the same data (see docs/BENCHMARKS.md). Never used by the app."""
