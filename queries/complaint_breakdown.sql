/* ---
title = "Complaints by category and channel"
title_zh = "投诉类别与渠道分布"
description = "Complaints opened per period, category and channel, with how many were resolved and how many met their SLA. A missing category or channel shows as '(none)'."
description_zh = "每期按投诉类别与渠道统计的受理量、已办结数与按时办结数；类别或渠道为空时记为 '(none)'。"
unit = "count"
params = ["grain", "date_from", "date_to", "projects", "regions", "sla_default_hours", "sla_rules"]
default_grain = "week"

[chart]
mark = "bar"
x = "period_start"
y = "opened"
color = "category"
--- */
-- Same SLA rule as complaints.sql: the most specific [[sla.rules]] entry, else the default.
with complaints as (
    select
        *,
        date_trunc($grain, opened_at)::date as period_start
    from stg_complaints
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
),

rules as (
    select unnest(
        cast($sla_rules as struct(severity varchar, category varchar, hours double, rank integer)[]),
        recursive := true
    )
),

matched_rule as (
    select
        complaints.complaint_id,
        rules.hours,
        row_number() over (
            partition by complaints.complaint_id
            order by (rules.severity is not null)::int + (rules.category is not null)::int desc,
                rules.rank
        ) as preference
    from complaints
    inner join rules
        on (rules.severity is null or rules.severity = complaints.severity)
        and (rules.category is null or rules.category = complaints.category)
),

with_sla as (
    select
        complaints.*,
        coalesce(matched_rule.hours, $sla_default_hours) as sla_hours
    from complaints
    left join matched_rule
        on matched_rule.complaint_id = complaints.complaint_id
        and matched_rule.preference = 1
),

final as (
    select
        period_start,
        category_label as category,
        channel_label as channel,
        count(*) as opened,
        count(*) filter (where is_resolved) as resolved,
        count(*) filter (where resolution_hours <= sla_hours) as sla_met
    from with_sla
    where ($date_from is null or period_start >= $date_from)
      and ($date_to is null or period_start <= $date_to)
    group by all
    order by period_start, opened desc, category, channel
)

select * from final
