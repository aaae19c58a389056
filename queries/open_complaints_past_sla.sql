/* ---
title = "Open complaints past their SLA"
title_zh = "超时未办结投诉"
description = "Complaints still open at the end of the as-of day (default: the last day with complaint data) that have been open longer than their SLA hours on their clock; oldest first. hours_open is in calendar hours, business_hours_open in working hours of the [calendar]."
description_zh = "截至指定日期（默认：投诉数据的最后一天）日终仍未办结、且按其计时方式已开启时长超过办结时限的投诉，按时长从长到短排列。hours_open 为自然小时，business_hours_open 为按工作日历计的工作小时。"
unit = "table"
params = ["projects", "regions", "as_of", "sla_default_hours", "sla_rules", "sla_clock", "calendar_weekday_mask", "calendar_work_hours", "calendar_months", "calendar_months_added", "calendar_months_removed", "calendar_months_covered", "calendar_covers_every_year"]

[units]
hours_open = "hours"
sla_hours = "hours"
business_hours_open = "hours"

[chart]
mark = "table"

[labels]
complaint_id = "Complaint"
project = "Project"
region = "Region"
category = "Category"
severity = "Severity"
opened_at = "Opened"
hours_open = "Hours open (calendar)"
sla_hours = "SLA (hours)"
sla_clock = "SLA clock"
business_hours_open = "Hours open (business)"

[labels_zh]
complaint_id = "投诉编号"
project = "项目"
region = "区域"
category = "投诉类别"
severity = "紧急程度"
opened_at = "受理时间"
hours_open = "已开启（自然小时）"
sla_hours = "时限（小时）"
sla_clock = "计时方式"
business_hours_open = "已开启（工作小时）"
--- */
-- "Open" uses the backlog rule of the complaints KPI: opened before the cut and not resolved
-- before it. The cut is the end of the as-of day (midnight after it), so a weekly report
-- as of Sunday sees the complaints still open when the week closed. int_complaints_sla has
-- each complaint's SLA (hours and clock) and its hours open up to that cut on both clocks.
with complaints as (
    select * from int_complaints_sla
),

final as (
    select
        complaint_id,
        project,
        region,
        category,
        severity,
        opened_at,
        calendar_hours as hours_open,
        sla_hours,
        sla_clock,
        business_hours as business_hours_open
    from complaints
    where not is_resolved
      and clock_hours > sla_hours
    order by hours_open desc, complaint_id
)

select * from final
