/* ---
title = "VIP revisit coverage"
title_zh = "VIP客户回访覆盖率"
description = "VIPs per period (is_vip, with vip_since and joined_on not after the period's last day), the share contacted in the period, phone calls and visits, and VIPs with no contact in the interval (30 days) ending on the period's last day."
description_zh = "每期 VIP 客户数（is_vip 为真且 vip_since、joined_on 不晚于期末最后一天）、本期已回访占比（覆盖率）、电话回访与上门拜访次数，以及截至期末最后一天的回访周期（30 天）内未回访的 VIP 数。"
unit = "rate"
params = ["grain", "date_from", "date_to", "projects", "regions", "by", "vip_interval_days"]
default_grain = "week"

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
-- Why the shape: every count is built from the contacts (tens of thousands) and the VIPs'
-- first periods, never from VIPs x periods x contacts, so the cost grows with the data,
-- not with its product.
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

vips as (
    select
        customer_id,
        vip_from,
        -- a VIP counts from the period that contains vip_from (NULL: every period)
        date_trunc($grain, vip_from)::date as first_vip_period,
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
    inner join vips on vips.customer_id = contacts.customer_id
    where vips.first_vip_period is null
       or vips.first_vip_period <= contacts.period_start
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

vip_starts as (
    select by_value, first_vip_period, count(*) as vips
    from vips
    group by all
),

-- VIPs in a period: those whose first VIP period is not after it
vip_counts as (
    select grid.period_start, grid.by_value, sum(vip_starts.vips) as vip_customers
    from grid
    inner join vip_starts
        on vip_starts.by_value is not distinct from grid.by_value
        and (vip_starts.first_vip_period is null
            or vip_starts.first_vip_period <= grid.period_start)
    group by all
),

contact_counts as (
    select
        period_start,
        by_value,
        count(distinct customer_id) as vip_contacted,
        count(*) filter (where method = 'phone') as phone_contacts,
        count(*) filter (where method = 'visit') as visit_contacts
    from vip_contacts
    group by all
),

-- the periods whose interval (the $vip_interval_days days ending on the period's last day)
-- contains a contact: their last day lies between the contact's day and that day plus
-- the interval minus one. Any contact of the customer counts, as long as the customer is a
-- VIP in that period.
contact_days as (
    select distinct customer_id, contacted_at::date as contact_day
    from contacts
),

covered as (
    select grid.period_start, grid.by_value, count(distinct vips.customer_id) as covered_vips
    from contact_days
    inner join vips on vips.customer_id = contact_days.customer_id
    cross join step
    cross join generate_series(
        date_trunc($grain, contact_days.contact_day)::timestamp,
        date_trunc($grain, contact_days.contact_day + ($vip_interval_days - 1))::timestamp,
        step.step
    ) as candidates (period_start)
    inner join grid
        on grid.period_start = candidates.period_start::date
        and grid.by_value is not distinct from vips.by_value
    where grid.last_day between contact_days.contact_day
        and contact_days.contact_day + ($vip_interval_days - 1)
      and (vips.first_vip_period is null or vips.first_vip_period <= grid.period_start)
    group by all
),

final as (
    select
        grid.period_start,
        grid.by_value,
        coalesce(vip_counts.vip_customers, 0)::bigint as vip_customers,
        coalesce(contact_counts.vip_contacted, 0) as vip_contacted,
        coalesce(contact_counts.vip_contacted, 0) / nullif(vip_counts.vip_customers, 0)::double
            as coverage_rate,
        coalesce(contact_counts.phone_contacts, 0)::bigint as phone_contacts,
        coalesce(contact_counts.visit_contacts, 0)::bigint as visit_contacts,
        (coalesce(vip_counts.vip_customers, 0) - coalesce(covered.covered_vips, 0))::bigint
            as overdue_vips
    from grid
    left join vip_counts
        on vip_counts.period_start = grid.period_start
        and vip_counts.by_value is not distinct from grid.by_value
    left join contact_counts
        on contact_counts.period_start = grid.period_start
        and contact_counts.by_value is not distinct from grid.by_value
    left join covered
        on covered.period_start = grid.period_start
        and covered.by_value is not distinct from grid.by_value
    where ($date_from is null or grid.period_start >= $date_from)
      and ($date_to is null or grid.period_start <= $date_to)
    order by grid.period_start, grid.by_value
)

select * from final
