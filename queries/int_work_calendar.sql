/* ---
title = "Working calendar by month (settings, intermediate)"
title_zh = "按月的工作日历（设置，中间层）"
description = "One row per month of the [calendar] month table of the business clock (contiguous, from the first to the last month the calendar changes or covers): bitmasks of the days the calendar adds to the weekday rule (make-up working days, extra_workdays) and removes from it (public holidays, extra_holidays) - bit d-1 is day d -, the number of each, whether the month's year is covered, the net days added before the month, and how many months up to it are not covered. The settings as a small table: the only file that turns the $calendar_months lists into rows; int_complaints_sla reads it. Empty when no complaint is on the business clock."
description_zh = "工作小时计时所用 [calendar] 月表，每月一行（连续，从日历有调整或收录的第一个月到最后一个月）：日历相对周几规则增加的日子（调休上班日、extra_workdays）与去掉的日子（法定节假日、extra_holidays）的位图（第 d 位 - 1 即 d 日）、各自天数、该月所在年份是否收录、该月之前净增加的工作日数，以及截至该月未收录的月数。设置的小表：只有本文件把 $calendar_months 系列列表变成行；int_complaints_sla 读取它。没有投诉按工作小时计时时为空。"
unit = "table"
params = ["calendar_months", "calendar_months_added", "calendar_months_removed", "calendar_months_covered"]

[units]
month_start = "date"
days_added = "count"
days_removed = "count"
correction_before = "count"
uncovered_through = "count"

[labels]
month_start = "Month"
month_number = "Month number (year x 12 + month)"
added_days = "Days added (bitmask)"
removed_days = "Days removed (bitmask)"
days_added = "Working days added"
days_removed = "Working days removed"
is_covered = "Year covered by the calendar"
correction_before = "Net working days added before the month"
uncovered_through = "Months not covered, up to this one"

[labels_zh]
month_start = "月份"
month_number = "月序号（年 x 12 + 月）"
added_days = "增加的日子（位图）"
removed_days = "去掉的日子（位图）"
days_added = "增加的工作日数"
days_removed = "去掉的工作日数"
is_covered = "日历是否收录该年"
correction_before = "该月之前净增加的工作日数"
uncovered_through = "截至该月未收录的月数"

[chart]
mark = "table"
--- */
-- Bound, not stored (docs/ARCHITECTURE.md, "how do settings reach SQL?"): the table comes
-- from kpi.toml's [calendar] and the holidays package at every call
-- (dashboard/sla_clock/params.py), so an edited calendar or a package that learnt a new
-- year's schedule counts at once, without a re-import, on DuckDB's read-only snapshots and
-- on Spark's Parquet lake alike. Plain lists, zipped here: binding them costs well under
-- 1 ms, a list of structs for every day many times more.
with calendar_months as (
    select
        unnest(cast($calendar_months as date[])) as month_start,
        unnest(cast($calendar_months_added as bigint[])) as added_days,
        unnest(cast($calendar_months_removed as bigint[])) as removed_days,
        unnest(cast($calendar_months_covered as boolean[])) as is_covered
),

final as (
    select
        month_start,
        year(month_start) * 12 + month(month_start) as month_number,
        added_days,
        removed_days,
        bit_count(added_days) as days_added,
        bit_count(removed_days) as days_removed,
        is_covered,
        -- the calendar's corrections to the weekday rule before the month
        coalesce(sum(bit_count(added_days) - bit_count(removed_days)) over (
            order by month_start rows between unbounded preceding and 1 preceding
        ), 0) as correction_before,
        sum(case when is_covered then 0 else 1 end) over (
            order by month_start rows between unbounded preceding and current row
        ) as uncovered_through
    from calendar_months
)

select * from final
