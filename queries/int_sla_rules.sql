/* ---
title = "SLA rules (settings, intermediate)"
title_zh = "办结时限规则（设置，中间层）"
description = "One row per [[sla.rules]] entry of kpi.toml, in file order: the severity and/or category it matches (empty = any), its SLA hours, its clock (the rule's own, else [sla] clock) and its rank (0 = first in the file). The settings as a small table: the only file that turns $sla_rules into rows; int_complaints_sla matches complaints against it."
description_zh = "kpi.toml 中每条 [[sla.rules]] 规则一行，按文件顺序：匹配的严重程度和/或类别（空 = 任意）、办结时限小时数、计时方式（规则自身的，否则为 [sla] clock）及顺序号（0 = 文件中第一条）。设置的小表：只有本文件把 $sla_rules 变成行；int_complaints_sla 据此匹配投诉。"
unit = "table"
params = ["sla_rules"]

[units]
hours = "hours"
rank = "count"

[labels]
severity = "Severity"
category = "Category"
hours = "SLA hours"
clock = "Clock"
rank = "Rank (file order)"

[labels_zh]
severity = "严重程度"
category = "类别"
hours = "办结时限（小时）"
clock = "计时方式"
rank = "顺序（文件顺序）"

[chart]
mark = "table"
--- */
-- Bound, not stored (docs/ARCHITECTURE.md, "how do settings reach SQL?"): kpi.toml is read
-- at every call, so an edited rule takes effect at once - no re-import, none of the app's
-- read-only snapshots or a Parquet lake for Spark holds a stale copy, and the stored KPI rows
-- (dashboard/kpi_cache.py) see the change in the hash of the values bound here. The list is
-- built by Settings.sql_params (dashboard/settings.py); the cast gives an empty list its type.
with rules as (
    select unnest(
        cast($sla_rules as struct(
            severity varchar, category varchar, hours double, clock varchar, rank integer
        )[]),
        recursive := true
    )
),

final as (
    select severity, category, hours, clock, rank
    from rules
)

select * from final
