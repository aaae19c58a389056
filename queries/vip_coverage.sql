/* ---
title = "VIP revisit coverage"
title_zh = "VIP客户回访覆盖率"
description = "VIPs per period (is_vip, with vip_since and joined_on not after the period's last day), the share contacted in the period, phone calls and visits, and VIPs with no contact in the interval (30 days) ending on the period's last day."
description_zh = "每期 VIP 客户数（is_vip 为真且 vip_since、joined_on 不晚于期末最后一天）、本期已回访占比（覆盖率）、电话回访与上门拜访次数，以及截至期末最后一天的回访周期（30 天）内未回访的 VIP 数。"
unit = "rate"
params = ["grain", "date_from", "date_to", "projects", "regions", "by", "vip_interval_days"]
default_grain = "month"

[units]
vip_customers = "count"
vip_contacted = "count"
coverage_rate = "rate"
phone_contacts = "count"
visit_contacts = "count"
overdue_vips = "count"

[chart]
mark = "line"
x = "period_start"
y = "coverage_rate"
--- */
-- Filters apply to the VIP customer's own project/region (from the customers export).
-- Contacts of customers who are not VIPs in that period are ignored, also for the period
-- range (first to last period with a counted VIP contact).
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

vips as (
    select
        customer_id,
        vip_from,
        case $by when 'project' then project when 'region' then region end as by_value
    from stg_customers
    where is_vip
      and (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
),

contacts as (
    select
        customer_id,
        contacted_at,
        method,
        date_trunc($grain, contacted_at)::date as period_start
    from stg_vip_contacts
),

-- a contact counts when its customer is a VIP in the contact's period
vip_contacts as (
    select contacts.*, vips.by_value
    from contacts
    cross join step
    inner join vips on vips.customer_id = contacts.customer_id
    where vips.vip_from is null
       or vips.vip_from <= (contacts.period_start + step.step)::date - 1
),

periods as (
    select series.period_start::date as period_start
    from (select min(period_start) as lo, max(period_start) as hi from vip_contacts) as bounds
    cross join step
    cross join generate_series(bounds.lo::timestamp, bounds.hi::timestamp, step.step)
        as series (period_start)
),

-- every group over the same periods; a group is a project/region with a VIP in scope
grid as (
    select
        periods.period_start,
        groups.by_value,
        (periods.period_start + step.step)::date - 1 as last_day
    from periods
    cross join (select distinct by_value from vips) as groups
    cross join step
),

vips_in_period as (
    select grid.period_start, grid.by_value, grid.last_day, vips.customer_id
    from grid
    inner join vips
        on vips.by_value is not distinct from grid.by_value
        and (vips.vip_from is null or vips.vip_from <= grid.last_day)
),

per_vip as (
    select
        vips_in_period.period_start,
        vips_in_period.by_value,
        vips_in_period.customer_id,
        count(contacts.customer_id) filter (
            where contacts.period_start = vips_in_period.period_start
        ) as contacts_in_period,
        count(contacts.customer_id) filter (
            where contacts.period_start = vips_in_period.period_start and contacts.method = 'phone'
        ) as phone_contacts,
        count(contacts.customer_id) filter (
            where contacts.period_start = vips_in_period.period_start and contacts.method = 'visit'
        ) as visit_contacts,
        -- the interval ends on the period's last day: that day and the days before it
        count(contacts.customer_id) filter (
            where contacts.contacted_at >= vips_in_period.last_day - ($vip_interval_days - 1)
              and contacts.contacted_at < vips_in_period.last_day + 1
        ) as contacts_in_interval
    from vips_in_period
    left join contacts on contacts.customer_id = vips_in_period.customer_id
    group by all
),

per_period as (
    select
        period_start,
        by_value,
        count(*) as vip_customers,
        count(*) filter (where contacts_in_period > 0) as vip_contacted,
        sum(phone_contacts) as phone_contacts,
        sum(visit_contacts) as visit_contacts,
        count(*) filter (where contacts_in_interval = 0) as overdue_vips
    from per_vip
    group by all
),

final as (
    select
        grid.period_start,
        grid.by_value,
        coalesce(per_period.vip_customers, 0) as vip_customers,
        coalesce(per_period.vip_contacted, 0) as vip_contacted,
        per_period.vip_contacted / nullif(per_period.vip_customers, 0)::double as coverage_rate,
        coalesce(per_period.phone_contacts, 0)::bigint as phone_contacts,
        coalesce(per_period.visit_contacts, 0)::bigint as visit_contacts,
        coalesce(per_period.overdue_vips, 0) as overdue_vips
    from grid
    left join per_period
        on per_period.period_start = grid.period_start
        and per_period.by_value is not distinct from grid.by_value
    where ($date_from is null or grid.period_start >= $date_from)
      and ($date_to is null or grid.period_start <= $date_to)
    order by grid.period_start, grid.by_value
)

select * from final
