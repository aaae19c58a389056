"""DuckDB SQL (the dialect of ``queries/``) -> Spark SQL, with sqlglot and our own rewrites.

sqlglot's DuckDB -> Spark translation is best effort: some constructs come out wrong without
an error (shared/spec/engineering-notes.md, Spark). Each rewrite below replaces one such
construct with an exact Spark equivalent, checked by tests/test_engine_transpile.py on
Spark itself; anything we know Spark cannot do the same way raises ``UnsupportedOnSpark``
naming the file and the construct. Nothing is dropped or approximated silently.

The rewrites, on the parsed (dialect-neutral) tree, before Spark SQL is generated:

- ``generate_series(lo, hi, step)`` / ``range(lo, hi)`` in FROM or a join ->
  ``lateral explode(case when lo <= hi then sequence(lo, hi, step) end)`` (Spark's
  ``sequence`` fails on an empty range where DuckDB gives no rows; sqlglot's own output
  does not parse);
- interval literals -> ``make_interval(...)``: Spark's ANSI day and month intervals are two
  types that a ``case`` cannot mix (``case when grain = 'week' then interval 7 day else
  interval 1 month end``); ``make_interval`` gives one calendar interval type;
- ``quantile_cont(x, q)`` -> ``percentile(x, q)`` (both interpolate linearly; sqlglot's
  ``percentile_cont(x, q)`` is rejected by Spark);
- ``epoch(ts)`` -> seconds as a double (sqlglot's ``unix_timestamp`` drops fractions);
- ``date_diff('day'|'month'|'year', a, b)``: DuckDB counts boundaries crossed, Spark's
  ``datediff(unit, ...)`` counts whole units elapsed: rewritten to boundary arithmetic;
- ``len($list)`` -> ``size(:list)`` (sqlglot writes ``length``, which is for strings);
- ``unnest(cast($rules as struct(...)[]), recursive := true)`` ->
  ``inline(from_json(:rules, 'array<struct<...>>'))``, the list bound as JSON;
- ``dayofweek``/``weekday`` (0 = Sunday in DuckDB, 1 = Sunday or 0 = Monday in Spark) and
  ``isodow`` -> exact equivalents;
- decimal literals (``3600.0``) -> doubles: DuckDB's decimal arithmetic ends in doubles
  (``avg`` of decimals is a double there), Spark's stays decimal and rounds to 5-6 places;
- the SLA clock's constructs: ``cast($list as struct(...)[])`` -> ``from_json(:list, ...)``
  (a list of dicts is bound as JSON), several ``unnest()`` in one select (DuckDB zips
  them) -> ``inline(arrays_zip(...))``, ``list_sum`` -> ``aggregate`` (NULL for no
  elements), ``date - date`` (days in DuckDB, an interval in Spark) -> ``datediff``,
  ``error(msg)`` -> ``raise_error(msg)``;
- staging views inlined as CTEs keep their own inner CTE names (``source``, ``final``)
  private by prefixing them, since the Spark output lists every CTE at the top level;
- ``as [not] materialized`` hints are dropped (Spark has no such hint; same rows).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError

__all__ = ["SparkSql", "UnsupportedOnSpark", "spark_args", "to_spark"]


class UnsupportedOnSpark(ValueError):
    """A query uses a construct that has no exact Spark equivalent (message names both)."""


@dataclass(frozen=True)
class SparkSql:
    sql: str
    json_params: frozenset[str]  # parameters bound as JSON text (lists of structs)


def to_spark(sql: str, source: str, list_params: frozenset[str] = frozenset()) -> SparkSql:
    """Spark SQL for DuckDB ``sql`` from file ``source``; ``list_params`` are the names of the
    parameters bound to lists (``len`` of them becomes ``size``)."""
    return _to_spark(sql, source, frozenset(list_params))


@lru_cache(maxsize=512)
def _to_spark(sql: str, source: str, list_params: frozenset[str]) -> SparkSql:
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except ParseError as exc:
        raise UnsupportedOnSpark(f"{source}: the SQL cannot be parsed for Spark: {exc}") from exc
    rewriter = _Rewriter(source, list_params)
    tree = rewriter.run(tree)
    try:
        out = tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
    except SqlglotError as exc:
        raise UnsupportedOnSpark(f"{source}: not supported on Spark: {exc}") from exc
    return SparkSql(out, frozenset(rewriter.json_params))


def spark_args(bound: dict[str, Any], json_params: frozenset[str]) -> dict[str, Any]:
    """The bound DuckDB parameters as Spark named parameters (same names, same values)."""
    args: dict[str, Any] = {}
    for name, value in bound.items():
        if name in json_params:
            args[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, tuple):
            args[name] = list(value)
        else:
            args[name] = value
    return args


# DuckDB's spellings of constructs we refuse, for the message (sqlglot node -> SQL name)
_REFUSED: dict[type[exp.Expression], str] = {
    exp.Pivot: "pivot/unpivot",
    exp.Qualify: "qualify",
}
_INTERVAL_UNITS = {  # make_interval(years, months, weeks, days, hours, mins, secs)
    "YEAR": 0,
    "MONTH": 1,
    "WEEK": 2,
    "DAY": 3,
    "HOUR": 4,
    "MINUTE": 5,
    "SECOND": 6,
}


class _Rewriter:
    def __init__(self, source: str, list_params: frozenset[str]) -> None:
        self.source = source
        self.list_params = list_params
        self.json_params: set[str] = set()

    def refuse(self, node: exp.Expression, why: str) -> UnsupportedOnSpark:
        snippet = node.sql(dialect="duckdb")
        if len(snippet) > 120:
            snippet = snippet[:117] + "..."
        return UnsupportedOnSpark(f"{self.source}: '{snippet}' is not supported on Spark: {why}")

    def run(self, tree: exp.Expression) -> exp.Expression:
        for node in tree.walk():
            for kind, name in _REFUSED.items():
                if isinstance(node, kind):
                    raise self.refuse(node, f"{name} has no exact Spark equivalent here")
            if isinstance(node, exp.Star) and (
                node.args.get("except_") or node.args.get("replace")
            ):
                raise self.refuse(node, "Spark SQL has no 'select * exclude/replace'")
        self._private_inner_ctes(tree)
        # children before parents, so a rewrite that keeps a child keeps it rewritten
        # (e.g. the interval inside generate_series, an epoch() inside a date_diff)
        for node in reversed(list(tree.walk())):
            new = self._rewrite(node)
            if new is not node:
                if node is tree:
                    tree = new
                else:
                    node.replace(new)
        return tree

    # -- nested CTEs ---------------------------------------------------------------------
    def _private_inner_ctes(self, tree: exp.Expression) -> None:
        """``with stg_x as (with source as (...), final as (...) select * from final)``:
        sqlglot lifts the inner CTEs to the top for Spark, where ``final`` would clash with
        the query's own; give each inner name its outer CTE's prefix first."""
        for cte in list(tree.find_all(exp.CTE)):
            inner = cte.this.args.get("with_") if isinstance(cte.this, exp.Query) else None
            if not inner:
                continue
            prefix = cte.alias_or_name
            names = {c.alias_or_name for c in inner.expressions}
            renames = {n: f"{prefix}__{n}" for n in names}
            for inner_cte in inner.expressions:
                inner_cte.set(
                    "alias",
                    exp.TableAlias(this=exp.to_identifier(renames[inner_cte.alias_or_name])),
                )
            for table in cte.this.find_all(exp.Table):
                if not table.args.get("db") and table.name in renames:
                    alias = table.alias or table.name
                    table.set("this", exp.to_identifier(renames[table.name]))
                    if not table.alias:
                        table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))

    # -- node by node ----------------------------------------------------------------------
    def _rewrite(self, node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.CTE) and node.args.get("materialized") is not None:
            node.set("materialized", None)
            return node
        if isinstance(node, exp.Table) and isinstance(node.this, exp.GenerateSeries):
            return self._series(node)
        if isinstance(node, exp.GenerateSeries) and not isinstance(node.parent, exp.Table):
            raise self.refuse(node, "generate_series/range only as a table in FROM or a join")
        if isinstance(node, exp.Interval):
            return self._interval(node)
        if isinstance(node, exp.PercentileCont) and not isinstance(node.parent, exp.WithinGroup):
            q = node.expression
            if not isinstance(q, exp.Literal) or q.is_string:
                raise self.refuse(node, "quantile_cont needs one constant fraction")
            return exp.Anonymous(this="percentile", expressions=[node.this, q])
        if isinstance(node, exp.TimeToUnix):
            micros = exp.Anonymous(
                this="unix_micros",
                expressions=[exp.cast(node.this, exp.DataType.build("timestamp"))],
            )
            return exp.Paren(
                this=exp.Div(
                    this=exp.cast(micros, exp.DataType.build("double")),
                    expression=exp.Literal.number(1000000),
                )
            )
        if isinstance(node, exp.DateDiff):
            return self._date_diff(node)
        if (
            isinstance(node, exp.Length)
            and isinstance(node.this, exp.Placeholder)
            and node.this.name in self.list_params
        ):
            return exp.Anonymous(this="size", expressions=[node.this])
        if (
            isinstance(node, exp.Cast)
            and isinstance(node.this, exp.Placeholder)
            and node.to.is_type(exp.DataType.Type.ARRAY)
            and node.to.expressions
            and node.to.expressions[0].is_type(exp.DataType.Type.STRUCT)
        ):
            return self._struct_list_param(node)
        if isinstance(node, exp.Explode) and node.expressions:
            return self._unnest_structs(node)
        if (
            isinstance(node, exp.Select)
            and sum(
                isinstance(e, exp.Alias) and isinstance(e.this, exp.Explode)
                for e in node.expressions
            )
            > 1
        ):
            return self._zip_unnests(node)
        if isinstance(node, exp.Anonymous) and node.name.lower() == "error":
            # DuckDB error(msg) and Spark raise_error(msg) both fail the query when reached
            return exp.Anonymous(this="raise_error", expressions=node.expressions)
        if isinstance(node, exp.Anonymous) and node.name.lower() == "list_sum":
            return self._list_sum(node)
        if isinstance(node, exp.Sub) and _is_date(node.expression):
            # DuckDB: date - date is a number of days; Spark: an interval
            return exp.Anonymous(this="datediff", expressions=[node.this, node.expression])
        if isinstance(node, exp.Unnest):
            raise self.refuse(
                node,
                "unnest is supported only as unnest(cast($list as struct(...)[]), recursive := true)",
            )
        if isinstance(node, exp.DayOfWeek):  # DuckDB 0 = Sunday; Spark dayofweek 1 = Sunday
            return exp.Paren(
                this=exp.Sub(
                    this=exp.Anonymous(this="dayofweek", expressions=[node.this]),
                    expression=exp.Literal.number(1),
                )
            )
        if isinstance(node, exp.DayOfWeekIso):  # ISO 1 = Monday; Spark weekday 0 = Monday
            return exp.Paren(
                this=exp.Add(
                    this=exp.Anonymous(this="weekday", expressions=[node.this]),
                    expression=exp.Literal.number(1),
                )
            )
        if (
            isinstance(node, exp.Anonymous) and node.name.lower() == "weekday"
        ):  # DuckDB: = dayofweek
            return exp.Paren(
                this=exp.Sub(
                    this=exp.Anonymous(this="dayofweek", expressions=node.expressions),
                    expression=exp.Literal.number(1),
                )
            )
        if isinstance(node, exp.Week):  # DuckDB week() is the ISO week, Spark's weekofyear
            return exp.Anonymous(this="weekofyear", expressions=[node.this])
        if isinstance(node, exp.Anonymous) and node.name.lower() in ("yearweek", "list_position"):
            if node.name.lower() == "list_position":
                return exp.Anonymous(this="array_position", expressions=node.expressions)
            raise self.refuse(node, "no Spark equivalent")
        if (
            isinstance(node, exp.Literal)
            and not node.is_string
            and _is_decimal(node.this)
            and not isinstance(node.parent, exp.Interval | exp.PercentileCont | exp.Anonymous)
        ):
            return exp.cast(node.copy(), exp.DataType.build("double"))
        return node

    def _series(self, table: exp.Table) -> exp.Expression:
        series = table.this
        lo, hi, step = series.args["start"], series.args["end"], series.args.get("step")
        if series.args.get("is_end_exclusive"):  # range(lo, hi): integers only
            if step is not None:
                raise self.refuse(series, "range() with a step")
            hi = exp.Sub(this=exp.Paren(this=hi), expression=exp.Literal.number(1))
        sequence = exp.Anonymous(
            this="sequence", expressions=[lo, hi] + ([step] if step is not None else [])
        )
        # DuckDB gives no rows for an empty range; Spark's sequence() would fail on it
        guarded = exp.Case(
            ifs=[exp.If(this=exp.LTE(this=lo.copy(), expression=hi.copy()), true=sequence)]
        )
        alias = table.args.get("alias")
        if alias is None or len(alias.columns) != 1:
            raise self.refuse(series, "name the series column: generate_series(...) as t (col)")
        return exp.Lateral(this=exp.Explode(this=guarded), alias=alias)

    def _interval(self, node: exp.Interval) -> exp.Expression:
        unit = (node.unit.name if node.unit else "").upper().rstrip("S")
        value = node.this
        if unit not in _INTERVAL_UNITS:
            if isinstance(value, exp.Literal) and value.is_string and not node.unit:
                parts = value.this.split()  # interval '7 days'
                if len(parts) == 2 and parts[1].upper().rstrip("S") in _INTERVAL_UNITS:
                    unit, value = parts[1].upper().rstrip("S"), exp.Literal.number(parts[0])
                else:
                    raise self.refuse(node, "only intervals of one unit (year .. second)")
            else:
                raise self.refuse(node, "only intervals of one unit (year .. second)")
        if isinstance(value, exp.Literal) and value.is_string:
            value = exp.Literal.number(value.this)
        args: list[exp.Expression] = [exp.Literal.number(0) for _ in range(7)]
        args[_INTERVAL_UNITS[unit]] = value
        return exp.Anonymous(this="make_interval", expressions=args)

    def _date_diff(self, node: exp.DateDiff) -> exp.Expression:
        unit = (node.unit.name if node.unit else "DAY").upper()
        if not node.args.get("date_part_boundary"):
            raise self.refuse(node, "only DuckDB's date_diff (boundaries crossed) is translated")
        end, start = node.this, node.expression

        def part(fn: str, value: exp.Expression) -> exp.Expression:
            return exp.Anonymous(this=fn, expressions=[value.copy()])

        def diff(fn: str) -> exp.Expression:
            return exp.Paren(this=exp.Sub(this=part(fn, end), expression=part(fn, start)))

        date = exp.DataType.build("date")
        if unit == "DAY":
            return exp.Anonymous(
                this="datediff", expressions=[exp.cast(end, date), exp.cast(start, date)]
            )
        if unit == "MONTH":
            return exp.Paren(
                this=exp.Add(
                    this=exp.Mul(this=diff("year"), expression=exp.Literal.number(12)),
                    expression=diff("month"),
                )
            )
        if unit == "YEAR":
            return diff("year")
        raise self.refuse(node, f"date_diff('{unit.lower()}', ...): use epoch() differences")

    def _unnest_structs(self, node: exp.Explode) -> exp.Expression:
        recursive = any(
            isinstance(e, exp.PropertyEQ) and e.name.lower() == "recursive"
            for e in node.expressions
        )
        parsed = node.this  # already from_json(...) (children are rewritten first)
        if recursive and isinstance(parsed, exp.Anonymous) and parsed.name == "from_json":
            return exp.Anonymous(this="inline", expressions=[parsed])
        raise self.refuse(
            node,
            "unnest(..., recursive := true) is supported only as "
            "unnest(cast($list as struct(...)[]), recursive := true)",
        )

    def _struct_list_param(self, node: exp.Cast) -> exp.Expression:
        """``cast($p as struct(...)[])``: the list of dicts is bound as JSON and parsed by
        Spark (a Python list of dicts is no Spark literal)."""
        self.json_params.add(node.this.name)
        spark_type = node.to.sql(dialect="spark").lower()
        return exp.Anonymous(
            this="from_json", expressions=[node.this, exp.Literal.string(spark_type)]
        )

    def _list_sum(self, node: exp.Anonymous) -> exp.Expression:
        """DuckDB ``list_sum(x)``: the sum of the non-NULL elements, NULL for none. Spark:
        ``aggregate`` from a BIGINT 0 (an integer list; a list of doubles fails loudly on
        Spark, since the merge would change the accumulator's type)."""
        if len(node.expressions) != 1:
            raise self.refuse(node, "list_sum takes one list")
        template = sqlglot.parse_one(
            "case when size(filter(__x__, __v -> __v is not null)) > 0 then "
            "aggregate(filter(__x__, __v -> __v is not null), cast(0 as bigint), "
            "(__acc, __v) -> __acc + __v) end",
            read="spark",
        )
        value = node.expressions[0]
        return template.transform(
            lambda n: value.copy() if isinstance(n, exp.Column) and n.name == "__x__" else n
        )

    def _zip_unnests(self, select: exp.Select) -> exp.Expression:
        """``select unnest(a) as x, unnest(b) as y``: DuckDB zips the lists (NULL-padded);
        Spark allows one generator per select: ``inline(arrays_zip(a, b))``, renamed."""
        if select.args.get("from_") or any(
            not (isinstance(e, exp.Alias) and isinstance(e.this, exp.Explode))
            for e in select.expressions
        ):
            raise self.refuse(select, "several unnest() in one select only alone, each named")
        lists = [e.this.this for e in select.expressions]
        zipped = exp.select(
            exp.Anonymous(
                this="inline", expressions=[exp.Anonymous(this="arrays_zip", expressions=lists)]
            )
        )
        outer = exp.select(
            *[
                exp.alias_(exp.column(exp.to_identifier(str(i), quoted=True)), e.alias)
                for i, e in enumerate(select.expressions)
            ]
        ).from_(exp.Subquery(this=zipped, alias=exp.TableAlias(this=exp.to_identifier("zipped"))))
        return outer


def _is_date(node: exp.Expression) -> bool:
    """A value that is a DATE by its own syntax (``x::date``, ``date '...'``)."""
    while isinstance(node, exp.Paren):
        node = node.this
    return isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.DATE)


def _is_decimal(text: str) -> bool:
    return "." in text or "e" in text.lower()
