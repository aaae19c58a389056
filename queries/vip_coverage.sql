/* ---
title = "VIP revisit coverage"
title_zh = "VIP客户回访覆盖率"
description = "VIPs per period (is_vip, with vip_since and joined_on not after the period's last day), the share contacted in the period, phone calls and visits, and overdue VIPs: those due (a VIP for the whole interval of 30 days ending on the period's last day) with no contact in it. With an as-of day, the period containing it ends on that day (month to date)."
description_zh = "每期 VIP 客户数（is_vip 为真且 vip_since、joined_on 不晚于期末最后一天）、本期已回访占比（覆盖率）、电话回访与上门拜访次数，以及逾期 VIP 数：在截至期末最后一天的整个回访周期（30 天）内均为 VIP（即应回访）却未被回访的客户。指定截至日期时，包含该日的期间以该日为最后一天（如本月至今）。"
unit = "rate"
params = ["grain", "date_from", "date_to", "projects", "regions", "by", "as_of", "vip_interval_days"]
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
-- A customer is a VIP in a period when is_vip and their VIP start (vip_from) is not after
-- the period's last day; contacts of customers who are not VIPs then are ignored, also for
-- the period range (first to last period with a counted VIP contact). A VIP is *due* once
-- they have been one for the whole interval: vip_from on or before the interval's first day.
-- With $as_of, nothing after that day has happened: later contacts are left out and the
-- period containing it ends on it (its VIP status and interval use it as the last day).
-- Why the shape: every count is built from the contacts (tens of thousands) and the VIPs'
-- distinct start days, never from VIPs x periods x contacts, so the cost grows with the
-- data, not with its product.
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

vips as (
    select
        vip_from,
        case $by when 'project' then project when 'region' then region end as by_value
    from int_vips
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
),

-- contacts of VIPs only (int_vip_contacts), with the VIP's own project, region and VIP
-- start (the same customers' rows as int_vips, joined once at import): the others are
-- never counted
contacts as (
    select
        method,
        vip_from,
        contact_day,
        first_of_day,
        next_contact_day,
        case when $grain = 'week' then week_start else month_start end as period_start,
        case when $grain = 'week' then week_start + 6 else last_day(month_start) end
            as period_last_day,
        case when $grain = 'week' then first_in_week else first_in_month end as first_in_period,
        case $by when 'project' then project when 'region' then region end as by_value
    from int_vip_contacts
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or contact_day <= $as_of::date)  -- up to the end of the as-of day
),

-- a contact counts when its customer is a VIP in the contact's period: VIP start not after
-- the period's last day (the day before the next period starts, or the as-of day if
-- earlier; least() skips a NULL $as_of)
vip_contacts as (
    select
        contacts.period_start,
        contacts.by_value,
        contacts.first_in_period,
        contacts.method
    from contacts
    where contacts.vip_from is null
        or contacts.vip_from <= least(contacts.period_last_day, $as_of::date)
),

periods as (
    select date_spine.period_start
    from (select min(period_start) as lo, max(period_start) as hi from vip_contacts) as bounds
    inner join date_spine
        on date_spine.grain = $grain
        and date_spine.period_start between bounds.lo and bounds.hi
),

-- every group over the same periods; a group is a project/region with a VIP in scope
grid as (
    select
        periods.period_start,
        groups.by_value,
        least((periods.period_start + step.step)::date - 1, $as_of::date) as last_day,
        least((periods.period_start + step.step)::date - 1, $as_of::date)
            - ($vip_interval_days - 1) as window_first_day
    from periods
    cross join (select distinct by_value from vips) as groups
    cross join step
),

vip_starts as (
    select by_value, vip_from, count(*) as vips
    from vips
    group by all
),

-- VIPs in a period (VIP start not after its last day) and, of them, those due (VIP start
-- not after the interval's first day)
vip_counts as (
    select
        grid.period_start,
        grid.by_value,
        sum(vip_starts.vips) as vip_customers,
        coalesce(sum(vip_starts.vips) filter (
            where vip_starts.vip_from is null or vip_starts.vip_from <= grid.window_first_day
        ), 0) as due_vips
    from grid
    inner join vip_starts
        on vip_starts.by_value is not distinct from grid.by_value
        and (vip_starts.vip_from is null or vip_starts.vip_from <= grid.last_day)
    group by all
),

contact_counts as (
    select
        period_start,
        by_value,
        -- a VIP counts once, by their first contact in the period (int_vip_contacts)
        count(*) filter (where first_in_period) as vip_contacted,
        count(*) filter (where method = 'phone') as phone_contacts,
        count(*) filter (where method = 'visit') as visit_contacts
    from vip_contacts
    group by all
),

-- due VIPs with a contact in the interval ($vip_interval_days days ending on the period's
-- last day L). A VIP is covered at L by their latest contact day d up to L, when d is at
-- least L - interval + 1: so a contact day covers the days from d to the earlier of
-- d + interval - 1 and the day before the VIP's next contact day (int_vip_contacts), once
-- they are due (from vip_from + interval - 1). One VIP's ranges never overlap, so the VIPs
-- covered at L are the ranges holding L: a running sum of +1 where a range starts and -1
-- the day after it ends, read at each L - no pairing of contacts with periods, no distinct
-- count. Any contact of a due VIP counts.
covering as (
    select
        by_value,
        greatest(
            contact_day, coalesce(vip_from + ($vip_interval_days - 1), contact_day)
        ) as first_day,
        least(
            contact_day + ($vip_interval_days - 1),
            coalesce(next_contact_day - 1, contact_day + ($vip_interval_days - 1))
        ) as last_day
    from contacts
    where first_of_day  -- one row per VIP and contact day
),

coverage_steps as (
    select by_value, first_day as day, 1 as change
    from covering
    where first_day <= last_day
    union all
    select by_value, last_day + 1 as day, -1 as change
    from covering
    where first_day <= last_day
),

-- the steps and the grid's last days on one timeline per group; on a day, the steps come
-- first (a range starting on L holds L, one ending the day before does not)
coverage_timeline as (
    select by_value, day, sum(change) as change, null::date as period_start
    from coverage_steps
    group by by_value, day
    union all
    select by_value, last_day as day, 0 as change, period_start
    from grid
),

covered as (
    select period_start, by_value, covered_vips
    from (
        select
            period_start,
            by_value,
            sum(change) over (
                partition by by_value
                order by day, period_start nulls first
                rows between unbounded preceding and current row
            ) as covered_vips
        from coverage_timeline
    ) as running
    where period_start is not null
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
        (coalesce(vip_counts.due_vips, 0) - coalesce(covered.covered_vips, 0))::bigint
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
