/* ---
title = "Complaints in scope with whether they met their SLA (intermediate)"
title_zh = "范围内投诉及是否按时办结（中间层）"
description = "One row per complaint in scope as of the as-of day (cut as int_complaints_as_of cuts) with its SLA hours and clock and whether it met its SLA by then: resolved by the end of the as-of day, within its hours on its clock. What the complaints KPI counts; the hours an open complaint has been open on its clock are in int_complaints_sla."
description_zh = "截至指定日范围内的每条投诉（int_complaints_as_of），含办结时限、计时方式以及截至当日是否按时办结：在截至日日终前办结且按其计时方式未超时限。投诉指标的计数对象；未办结投诉按其计时方式已开启的时长见 int_complaints_sla。"
unit = "table"
params = ["projects", "regions", "as_of", "sla_default_hours", "sla_clock", "sla_rules", "calendar_weekday_mask", "calendar_work_hours", "calendar_covers_every_year", "calendar_months", "calendar_months_added", "calendar_months_removed", "calendar_months_covered"]

[units]
resolution_hours = "hours"
first_response_hours = "hours"
sla_hours = "hours"

[chart]
mark = "table"
--- */
-- The complaints as they stood at the end of the as-of day, as int_complaints_as_of cuts
-- them (the same three rules, applied here to the stored rows so no join is needed): opened
-- later left out; answered or resolved later not yet answered or resolved. A complaint
-- resolved by then met its SLA as int_complaint_sla_facts says (its hours to resolution do
-- not depend on the as-of day); one resolved later has not met it yet. Computed inline, the
-- facts arrive cut and filtered already, and cutting again changes nothing.
with facts as (
    select
        *,
        -- what had happened by the end of the as-of day (every day, without one)
        ($as_of is null or first_response_at < $as_of::date + 1) as answered_by_then,
        ($as_of is null or resolved_at < $as_of::date + 1) as resolved_by_then
    from int_complaint_sla_facts
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or opened_at < $as_of::date + 1)
),

as_of_day as (
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
        case when answered_by_then then first_response_at end as first_response_at,
        case when resolved_by_then then resolved_at end as resolved_at,
        sla_hours,
        sla_clock,
        coalesce(resolved_by_then and is_sla_met, false) as is_sla_met,
        opened_week,
        opened_month,
        case when resolved_by_then then resolved_week end as resolved_week,
        case when resolved_by_then then resolved_month end as resolved_month,
        case when resolved_by_then then resolution_us end as resolution_us,
        case when answered_by_then then first_response_us end as first_response_us
    from facts
),

final as (
    select
        *,
        resolved_at is not null as is_resolved,
        (epoch(resolved_at) - epoch(opened_at)) / 3600.0 as resolution_hours,
        (epoch(first_response_at) - epoch(opened_at)) / 3600.0 as first_response_hours
    from as_of_day
)

select * from final
