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

-- each customer's previous active period (a window instead of a self-join: one pass)
activity_with_previous as (
    select
        by_value,
        customer_id,
        period_start,
        lag(period_start) over (partition by by_value, customer_id order by period_start)
            as previous_period
    from activity
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
        count(*) filter (where activity_with_previous.previous_period is null) as new_customers
    from activity_with_previous
    cross join step
    group by all
),

periods as (
    select series.period_start::date as period_start
    from (select min(period_start) as lo, max(period_start) as hi from per_period) as bounds
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
    cross join (select distinct by_value from per_period) as groups
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
