/* ---
title = "Every complaint's SLA outcome (intermediate, stored)"
title_zh = "每条投诉的时限结果（中间层，预存）"
description = "One row per complaint (no filter, nothing cut at an as-of day) with its columns, its SLA hours and clock, and whether it met its SLA - resolved within its hours on its clock; with the weeks and months of opening and resolution and the microseconds to the first answer and to resolution. Stored at every import with the settings of that time; a call with other SLA settings computes it inline. Resolution does not depend on the as-of day once it has happened, so complaint counts read 'met' from here and treat a complaint resolved after the as-of day as still open."
description_zh = "每条投诉一行（不筛选、不按截至日截断）：投诉各列、办结时限与计时方式，以及是否按时办结（按其计时方式在时限内办结）。每次导入时按当时的设置预存；以其他时限设置计算时内联计算。办结一旦发生便与截至日无关，故投诉统计从这里读取“按时”，并把截至日之后才办结的投诉视为未办结。"
unit = "table"
params = ["projects", "regions", "as_of", "sla_default_hours", "sla_clock", "sla_rules", "calendar_weekday_mask", "calendar_work_hours", "calendar_covers_every_year", "calendar_months", "calendar_months_added", "calendar_months_removed", "calendar_months_covered"]
materialize = true

[units]
sla_hours = "hours"

[labels]
complaint_id = "Complaint"
customer_id = "Customer"
project = "Project"
region = "Region"
category = "Category"
channel = "Channel"
severity = "Severity"
category_label = "Category (shown)"
channel_label = "Channel (shown)"
opened_at = "Opened at"
first_response_at = "First response at"
resolved_at = "Resolved at"
sla_hours = "SLA (hours)"
sla_clock = "SLA clock"
is_sla_met = "Within SLA"
opened_week = "Week opened"
opened_month = "Month opened"
resolved_week = "Week resolved"
resolved_month = "Month resolved"
resolution_us = "To resolution (µs)"
first_response_us = "To first response (µs)"

[labels_zh]
complaint_id = "投诉编号"
customer_id = "客户"
project = "项目"
region = "区域"
category = "类别"
channel = "渠道"
severity = "严重程度"
category_label = "类别（显示）"
channel_label = "渠道（显示）"
opened_at = "投诉时间"
first_response_at = "首次响应时间"
resolved_at = "办结时间"
sla_hours = "办结时限（小时）"
sla_clock = "计时方式"
is_sla_met = "按时办结"
opened_week = "投诉周"
opened_month = "投诉月"
resolved_week = "办结周"
resolved_month = "办结月"
resolution_us = "办结用时（微秒）"
first_response_us = "首次响应用时（微秒）"

[chart]
mark = "table"
--- */
-- Why stored: matching the SLA rules and running the business clock is the costly part of
-- every complaint query (and its SQL the longest to plan); its outcome for a resolved
-- complaint is the same for any filter and any as-of day on or after the resolution.
-- Stored with no filter and no as-of day; computed inline (e.g. with other settings) it
-- gets the call's filters and as-of day, which the files reading it accept as well.
with sla as (
    select
        complaint_id,
        customer_id,
        project,
        region,
        category,
        channel,
        severity,
        category_label,
        channel_label,
        opened_at,
        first_response_at,
        resolved_at,
        sla_hours,
        sla_clock,
        is_sla_met
    from int_complaints_sla
),

-- the periods and the durations every complaint count needs, computed once per import:
-- the weeks and months of opening and resolution, and whole microseconds to the first
-- answer and to resolution (rounded from the epoch() difference, which Spark also has)
final as (
    select
        *,
        date_trunc('week', opened_at)::date as opened_week,
        date_trunc('month', opened_at)::date as opened_month,
        date_trunc('week', resolved_at)::date as resolved_week,
        date_trunc('month', resolved_at)::date as resolved_month,
        ((epoch(resolved_at) - epoch(opened_at)) * 1000000)::bigint as resolution_us,
        ((epoch(first_response_at) - epoch(opened_at)) * 1000000)::bigint as first_response_us
    from sla
    -- a project or region filter then reads only the row groups of its own values
    order by project, region, opened_at
)

select * from final
