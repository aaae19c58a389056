/* ---
title = "Complaints (the rows behind the number)"
title_zh = "投诉明细"
description = "The complaints behind the complaint KPIs: every complaint opened in the periods whose start lies in the date range (as of the as-of day), with its status, first response, resolution, SLA hours and clock, hours on the calendar and (business clock) in business hours, and whether it met its SLA. Open and late ones first."
description_zh = "投诉指标背后的明细：起始日在日期范围内的各期受理的每条投诉（截至指定日），含状态、首次响应、办结、办结时限与计时方式、自然小时与（按工作小时计时的）工作小时，以及是否按时办结。未办结与超时的在前。"
unit = "table"
params = ["grain", "date_from", "date_to", "projects", "regions", "as_of", "sla_default_hours", "sla_rules", "sla_clock", "calendar_weekday_mask", "calendar_work_hours", "calendar_months", "calendar_months_added", "calendar_months_removed", "calendar_months_covered", "calendar_covers_every_year"]
default_grain = "week"

[units]
first_response_hours = "hours"
calendar_hours = "hours"
business_hours = "hours"
sla_hours = "hours"

[chart]
mark = "table"

[labels]
period_start = "Period start"
complaint_id = "Complaint"
customer_id = "Customer ID"
project = "Project"
region = "Region"
category = "Category"
channel = "Channel"
severity = "Severity"
opened_at = "Opened"
first_response_at = "First response"
resolved_at = "Resolved"
is_resolved = "Resolved?"
first_response_hours = "First response (h)"
calendar_hours = "Hours open (calendar)"
business_hours = "Hours open (business)"
sla_hours = "SLA (hours)"
sla_clock = "SLA clock"
is_sla_met = "Within SLA"

[labels_zh]
period_start = "周期起始日"
complaint_id = "投诉编号"
customer_id = "客户编号"
project = "项目"
region = "区域"
category = "投诉类别"
channel = "投诉渠道"
severity = "紧急程度"
opened_at = "受理时间"
first_response_at = "首次响应时间"
resolved_at = "办结时间"
is_resolved = "已办结"
first_response_hours = "首次响应时长（小时）"
calendar_hours = "处理时长（自然小时）"
business_hours = "处理时长（工作小时）"
sla_hours = "时限（小时）"
sla_clock = "计时方式"
is_sla_met = "按时办结"
--- */
-- The same complaints, SLA verdicts and hours as the complaints KPI (int_complaints_sla):
-- a period's rows count to its opened, resolved and sla_met.
with complaints as (
    select
        *,
        date_trunc($grain, opened_at)::date as period_start
    from int_complaints_sla
),

final as (
    select
        period_start,
        complaint_id,
        customer_id,
        project,
        region,
        category,
        channel,
        severity,
        opened_at,
        first_response_at,
        resolved_at,
        is_resolved,
        first_response_hours,
        calendar_hours,
        business_hours,
        sla_hours,
        sla_clock,
        is_sla_met
    from complaints
    where ($date_from is null or period_start >= $date_from)
      and ($date_to is null or period_start <= $date_to)
    order by period_start, is_sla_met, is_resolved, calendar_hours desc, complaint_id
)

select * from final
