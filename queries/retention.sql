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
-- printed, so the first printed period still sees the one before it, and "new" still means
-- new over all history.
-- Why the shape: only the orders of the printed periods and the one before them are read
-- for activity (the date filter reaches the table scan); "new" checks the earlier orders
-- per customer; each customer's previous active period comes from one window (no self-join).
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

orders as not materialized (
    select
        customer_id,
        ordered_at,
        case $by when 'project' then project when 'region' then region end as by_value
    from stg_orders
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
),

-- the orders needed: from the period before the first printed one to the last printed one
read_window as (
    select
        date_trunc($grain, $date_from::date) - step.step as read_from,
        date_trunc($grain, $date_to::date) + step.step as read_to
    from step
),

activity as (
    select distinct
        orders.by_value,
        orders.customer_id,
        date_trunc($grain, orders.ordered_at)::date as period_start
    from orders
    cross join read_window
    where (read_window.read_from is null or orders.ordered_at >= read_window.read_from)
      and (read_window.read_to is null or orders.ordered_at < read_window.read_to)
),

-- customers with an order before the window are not new in it (empty without --from)
ordered_before as (
    select distinct orders.by_value, orders.customer_id
    from orders
    cross join read_window
    where orders.ordered_at < read_window.read_from
),

-- each customer's previous active period (a window instead of a self-join: one pass)
activity_with_previous as (
    select
        activity.by_value,
        activity.customer_id,
        activity.period_start,
        lag(activity.period_start) over (
            partition by activity.by_value, activity.customer_id
            order by activity.period_start
        ) as previous_period,
        ordered_before.customer_id is not null as ordered_before
    from activity
    left join ordered_before
        on ordered_before.customer_id = activity.customer_id
        and ordered_before.by_value is not distinct from activity.by_value
),

per_period as (
    select
        activity_with_previous.by_value,
        activity_with_previous.period_start,
        count(*) as active_customers,
        count(*) filter (
            where activity_with_previous.previous_period
                = (activity_with_previous.period_start - step.step)::date
        ) as retained_customers,
        -- no earlier active period: the first order ever (in scope) is in this one
        count(*) filter (
            where activity_with_previous.previous_period is null
              and not activity_with_previous.ordered_before
        ) as new_customers
    from activity_with_previous
    cross join step
    group by all
),

-- the period range and the groups come from all history in scope, not just the window
scope as (
    select
        date_trunc($grain, min(ordered_at))::date as first_period,
        date_trunc($grain, max(ordered_at))::date as last_period
    from orders
),

periods as (
    select series.period_start::date as period_start
    from scope
    cross join step
    cross join generate_series(scope.first_period::timestamp, scope.last_period::timestamp, step.step)
        as series (period_start)
),

-- every group is shown over the same period range, so groups can be compared row by row
grid as (
    select
        periods.period_start,
        groups.by_value,
        (periods.period_start - step.step)::date as previous_start
    from periods
    cross join (select distinct by_value from orders) as groups
    cross join step
),

counts as (
    select
        grid.period_start,
        grid.by_value,
        coalesce(current.active_customers, 0) as active_customers,
        coalesce(previous.active_customers, 0) as previous_active,
        coalesce(current.retained_customers, 0) as retained_customers,
        coalesce(current.new_customers, 0) as new_customers
    from grid
    left join per_period as current
        on current.period_start = grid.period_start
        and current.by_value is not distinct from grid.by_value
    left join per_period as previous
        on previous.period_start = grid.previous_start
        and previous.by_value is not distinct from grid.by_value
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
