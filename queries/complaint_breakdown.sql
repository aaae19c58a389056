/* ---
title = "Complaints by category and channel"
title_zh = "投诉类别与渠道分布"
description = "Complaints opened per period, category and channel, with how many were resolved and how many met their SLA. A missing category or channel shows as '(none)'."
description_zh = "每期按投诉类别与渠道统计的受理量、已办结数与按时办结数；类别或渠道为空时记为 '(none)'。"
unit = "count"
params = ["grain", "date_from", "date_to", "projects", "regions", "as_of", "sla_default_hours", "sla_rules", "sla_clock", "calendar_weekday_mask", "calendar_work_hours", "calendar_months", "calendar_months_added", "calendar_months_removed", "calendar_months_covered", "calendar_covers_every_year"]
default_grain = "week"

[chart]
mark = "bar"
x = "period_start"
y = "opened"
color = "category"

[labels]
period_start = "Period start"
category = "Category"
channel = "Channel"
opened = "Complaints opened"
resolved = "Resolved"
sla_met = "Resolved within SLA"

[labels_zh]
period_start = "周期起始日"
category = "投诉类别"
channel = "投诉渠道"
opened = "新增投诉"
resolved = "已办结"
sla_met = "按时办结数"
--- */
-- Each complaint's SLA and whether it met it: int_complaints_sla, as for complaints.sql.
with complaints as (
    select
        *,
        date_trunc($grain, opened_at)::date as period_start
    from int_complaints_sla
),

final as (
    select
        period_start,
        category_label as category,
        channel_label as channel,
        count(*) as opened,
        count(*) filter (where is_resolved) as resolved,
        count(*) filter (where is_sla_met) as sla_met
    from complaints
    where ($date_from is null or period_start >= $date_from)
      and ($date_to is null or period_start <= $date_to)
    group by all
    order by period_start, opened desc, category, channel
)

select * from final
