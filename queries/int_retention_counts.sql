/* ---
title = "Customer counts per period (intermediate)"
title_zh = "每期客户计数（中间层）"
description = "One row per period (and group) in the filter scope, contiguous over all history: active customers (an order in the period), those active in the previous period, retained (active in both), new (first order ever in scope), returning (active, not new, not active in the previous period) and lost (active in the previous period, not in this one). Retention and the leaky bucket print their columns from here; the headlines read lost customers from here."
description_zh = "筛选范围内每期（及每组）一行，覆盖全部历史、期间连续：活跃客户（本期有订单）、上期活跃客户、留存（两期均活跃）、新增（范围内首次下单）、回流（活跃、非新增、上期未活跃）与流失（上期活跃、本期未活跃）。客户保留率与客户漏桶由此输出各列；首页指标的流失客户数也取自这里。"
unit = "table"
params = ["grain", "projects", "regions", "by", "as_of"]

[units]
active_customers = "count"
previous_active = "count"
retained_customers = "count"
new_customers = "count"
returning_customers = "count"
lost_customers = "count"

[labels]
period_start = "Period start"
active_customers = "Active customers"
previous_active = "Active in the previous period"
retained_customers = "Retained customers"
new_customers = "New customers"
returning_customers = "Returning customers"
lost_customers = "Lost customers"

[labels_zh]
period_start = "周期起始日"
active_customers = "活跃客户数"
previous_active = "上期活跃客户数"
retained_customers = "留存客户数"
new_customers = "新增客户数"
returning_customers = "回流客户数"
lost_customers = "流失客户数"

[chart]
mark = "table"
--- */
-- A customer is active in a period when they have an order in it (in filter scope, nothing
-- after the as-of day). Customers in one project and region come counted, with their flags,
-- from int_activity_counts; the few spread over several are flagged here, within the scope
-- and the group ($by), the same way: retained = also active in the period before, new = the
-- first active period.
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

activity as not materialized (
    select
        case $by when 'project' then project when 'region' then region end as by_value,
        period_start,
        cohort_start,
        was_active_before,
        customer_id,
        customers
    from int_activity_counts
    where grain = $grain
      and (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or first_day <= $as_of::date)  -- nothing after the as-of day
),

counted as (
    select
        by_value,
        period_start,
        sum(customers) as active_customers,
        sum(case when was_active_before then customers else 0 end) as retained_customers,
        sum(case when cohort_start = period_start then customers else 0 end) as new_customers
    from activity
    where customer_id is null
    group by all
),

spread_activity as (
    select distinct by_value, customer_id, period_start
    from activity
    where customer_id is not null
),

spread_first as (
    select by_value, customer_id, min(period_start) as cohort_start
    from spread_activity
    group by all
),

spread_counted as (
    select
        current.by_value,
        current.period_start,
        count(*) as active_customers,
        count(previous.customer_id) as retained_customers,
        count(*) filter (where spread_first.cohort_start = current.period_start) as new_customers
    from spread_activity as current
    cross join step
    inner join spread_first
        on spread_first.customer_id = current.customer_id
        and spread_first.by_value is not distinct from current.by_value
    left join spread_activity as previous
        on previous.customer_id = current.customer_id
        and previous.by_value is not distinct from current.by_value
        and previous.period_start = (current.period_start - step.step)::date
    group by all
),

per_period as (
    select
        by_value,
        period_start,
        sum(active_customers) as active_customers,
        sum(retained_customers) as retained_customers,
        sum(new_customers) as new_customers
    from (
        select * from counted
        union all
        select * from spread_counted
    )
    group by all
),

-- the period range and the groups come from all history in scope: the counted periods
-- (every period with an active customer), not another pass over the activity
periods as (
    select date_spine.period_start
    from (select min(period_start) as lo, max(period_start) as hi from per_period) as bounds
    inner join date_spine
        on date_spine.grain = $grain
        and date_spine.period_start between bounds.lo and bounds.hi
),

-- every group is shown over the same period range, so groups can be compared row by row
grid as (
    select
        periods.period_start,
        groups.by_value,
        (periods.period_start - step.step)::date as previous_start
    from periods
    cross join (select distinct by_value from per_period) as groups
    cross join step
),

final as (
    select
        grid.period_start,
        grid.by_value,
        coalesce(current.active_customers, 0)::bigint as active_customers,
        coalesce(previous.active_customers, 0)::bigint as previous_active,
        coalesce(current.retained_customers, 0)::bigint as retained_customers,
        coalesce(current.new_customers, 0)::bigint as new_customers,
        (
            coalesce(current.active_customers, 0)
            - coalesce(current.retained_customers, 0)
            - coalesce(current.new_customers, 0)
        )::bigint as returning_customers,
        (
            coalesce(previous.active_customers, 0) - coalesce(current.retained_customers, 0)
        )::bigint as lost_customers
    from grid
    left join per_period as current
        on current.period_start = grid.period_start
        and current.by_value is not distinct from grid.by_value
    left join per_period as previous
        on previous.period_start = grid.previous_start
        and previous.by_value is not distinct from grid.by_value
)

select * from final
