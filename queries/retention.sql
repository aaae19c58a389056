/* ---
title = "Customer retention"
title_zh = "客户保留率"
description = "Active, retained, new customers per period; retention = retained / active in the previous period, churn = 1 - retention."
description_zh = "每期活跃、留存与新增客户；保留率 = 本期仍活跃的上期客户 / 上期活跃客户，流失率 = 1 - 保留率。"
unit = "rate"
params = ["grain", "date_from", "date_to", "projects", "regions", "by"]
default_grain = "week"

[units]
active_customers = "count"
previous_active = "count"
retained_customers = "count"
new_customers = "count"
retention_rate = "rate"
churn_rate = "rate"

[chart]
mark = "line"
x = "period_start"
y = "retention_rate"
--- */
-- A customer is active in a period when they have an order in it (in filter scope).
-- Periods are contiguous over all history in scope; --from/--to only choose which are
-- printed, so the first printed period still sees the one before it.
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

orders as (
    select
        customer_id,
        ordered_at,
        case $by when 'project' then project when 'region' then region end as by_value
    from stg_orders
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
),

activity as (
    select distinct
        by_value,
        customer_id,
        date_trunc($grain, ordered_at)::date as period_start
    from orders
),

periods as (
    select series.period_start::date as period_start
    from (select min(period_start) as lo, max(period_start) as hi from activity) as bounds
    cross join step
    cross join generate_series(bounds.lo::timestamp, bounds.hi::timestamp, step.step)
        as series (period_start)
),

-- every group is shown over the same period range, so groups can be compared row by row
grid as (
    select
        periods.period_start,
        groups.by_value,
        (periods.period_start - step.step)::date as previous_start
    from periods
    cross join (select distinct by_value from activity) as groups
    cross join step
),

active as (
    select by_value, period_start, count(*) as active_customers
    from activity
    group by all
),

retained as (
    select cur.by_value, cur.period_start, count(*) as retained_customers
    from activity as cur
    cross join step
    inner join activity as prev
        on prev.customer_id = cur.customer_id
        and prev.by_value is not distinct from cur.by_value
        and prev.period_start = (cur.period_start - step.step)::date
    group by all
),

first_orders as (
    select by_value, customer_id, min(period_start) as period_start
    from activity
    group by all
),

new_customers as (
    select by_value, period_start, count(*) as new_customers
    from first_orders
    group by all
),

counts as (
    select
        grid.period_start,
        grid.by_value,
        coalesce(active.active_customers, 0) as active_customers,
        coalesce(previous.active_customers, 0) as previous_active,
        coalesce(retained.retained_customers, 0) as retained_customers,
        coalesce(new_customers.new_customers, 0) as new_customers
    from grid
    left join active
        on active.period_start = grid.period_start
        and active.by_value is not distinct from grid.by_value
    left join active as previous
        on previous.period_start = grid.previous_start
        and previous.by_value is not distinct from grid.by_value
    left join retained
        on retained.period_start = grid.period_start
        and retained.by_value is not distinct from grid.by_value
    left join new_customers
        on new_customers.period_start = grid.period_start
        and new_customers.by_value is not distinct from grid.by_value
),

final as (
    select
        period_start,
        by_value,
        active_customers,
        previous_active,
        retained_customers,
        new_customers,
        retained_customers / nullif(previous_active, 0)::double as retention_rate,
        1 - retained_customers / nullif(previous_active, 0)::double as churn_rate
    from counts
    where ($date_from is null or period_start >= $date_from)
      and ($date_to is null or period_start <= $date_to)
    order by period_start, by_value
)

select * from final
