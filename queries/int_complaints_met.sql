/* ---
title = "Complaints in scope with whether they met their SLA (intermediate)"
title_zh = "范围内投诉及是否按时办结（中间层）"
description = "One row per complaint in scope as of the as-of day (int_complaints_as_of) with its SLA hours and clock and whether it met its SLA by then: resolved by the end of the as-of day, within its hours on its clock. What the complaints KPI counts; the hours an open complaint has been open on its clock are in int_complaints_sla."
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
-- A complaint resolved after the as-of day is still open as of that day (resolved_at is
-- empty in int_complaints_as_of): it has not met its promise yet, whatever happened later.
-- One resolved by then met it as int_complaint_sla_facts says (its hours to resolution do
-- not depend on the as-of day).
with in_scope as (
    select * from int_complaints_as_of
),

facts as (
    select * from int_complaint_sla_facts
),

final as (
    select
        in_scope.complaint_id,
        in_scope.customer_id,
        in_scope.project,
        in_scope.region,
        in_scope.category,
        in_scope.channel,
        in_scope.severity,
        in_scope.category_label,
        in_scope.channel_label,
        in_scope.opened_at,
        in_scope.first_response_at,
        in_scope.resolved_at,
        in_scope.is_resolved,
        in_scope.resolution_hours,
        in_scope.first_response_hours,
        facts.sla_hours,
        facts.sla_clock,
        coalesce(in_scope.is_resolved and facts.is_sla_met, false) as is_sla_met
    from in_scope
    left join facts on facts.complaint_id = in_scope.complaint_id
)

select * from final
