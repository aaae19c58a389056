/* ---
title = "Working week and day (settings, intermediate)"
title_zh = "工作周与工作日时段（设置，中间层）"
description = "One row: the [calendar] of the business clock as the SQL reads it - the weekday rule as a bitmask (bit i = ISO weekday i + 1, Monday = bit 0) and its number of working weekdays, the work spans of a working day (seconds after midnight, end exclusive), the working seconds of a working day, and whether months outside the int_work_calendar table count as covered (only without a country calendar). The only file that turns $calendar_weekday_mask, $calendar_work_hours and $calendar_covers_every_year into a row; int_complaints_sla reads it."
description_zh = "一行：工作小时计时的 [calendar]，按 SQL 读取的形式——周几规则的位图（第 i 位 = ISO 周几 i + 1，周一为第 0 位）及每周工作日数、工作日的工作时段（零点后的秒数，不含结束时刻）、一个工作日的工作秒数，以及 int_work_calendar 月表之外的月份是否视为已收录（仅在不用国家日历时）。只有本文件把 $calendar_weekday_mask、$calendar_work_hours 与 $calendar_covers_every_year 变成行；int_complaints_sla 读取它。"
unit = "table"
params = ["calendar_weekday_mask", "calendar_work_hours", "calendar_covers_every_year"]

[units]
workdays_per_week = "count"

[labels]
weekday_mask = "Working weekdays (bitmask, Monday = bit 0)"
workdays_per_week = "Working weekdays"
work_spans = "Work spans (seconds after midnight)"
day_seconds = "Working seconds of a working day"
covers_every_year = "Months outside the calendar table covered"

[labels_zh]
weekday_mask = "工作的周几（位图，周一为第 0 位）"
workdays_per_week = "每周工作日数"
work_spans = "工作时段（零点后的秒数）"
day_seconds = "一个工作日的工作秒数"
covers_every_year = "月表之外的月份视为已收录"

[chart]
mark = "table"
--- */
-- Bound, not stored: see int_work_calendar.sql and docs/ARCHITECTURE.md ("how do settings
-- reach SQL?"). One row, so a query cross-joins it; the spans stay a list, read with
-- list_transform, so each end of a complaint costs no join.
with work_hours as (
    select
        $calendar_weekday_mask::bigint as weekday_mask,
        cast($calendar_work_hours as struct(start_second integer, end_second integer)[])
            as work_spans,
        $calendar_covers_every_year::boolean as covers_every_year
),

final as (
    select
        weekday_mask,
        bit_count(weekday_mask) as workdays_per_week,
        work_spans,
        list_sum(list_transform(work_spans, span -> span.end_second - span.start_second))
            as day_seconds,
        covers_every_year
    from work_hours
)

select * from final
