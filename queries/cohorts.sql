/* ---
title = "Retention cohorts"
title_zh = "客户留存队列"
description = "Customers grouped by the month of their first order ever (in scope): of each cohort, the share with an order 0, 1, 2, ... months later, up to the last month with data."
description_zh = "按首次下单月份（筛选范围内的全部历史）分组的客户队列：每个队列在其后第 0、1、2… 个月仍有订单的客户占比，直到有数据的最后一个月。"
unit = "rate"
params = ["grain", "date_from", "date_to", "projects", "regions", "by", "as_of"]
default_grain = "month"
grains = ["month"]

[units]
months_since_first = "count"
cohort_size = "count"
active_customers = "count"
retention_rate = "rate"

[chart]
mark = "rect"
x = "months_since_first"
y = "cohort_month"
color = "retention_rate"
--- */
-- Month grain only ($grain is always 'month'; compute() refuses 'week').
-- Only months in which some customer placed a first order are cohorts (a cohort of nobody
-- has no curve). Every cohort runs to the last month with an order in the filter scope;
-- --from/--to choose cohorts by cohort_month. Customers in one project and region come
-- counted with their first month from int_activity_counts; the few spread over several get
-- theirs here, within the scope and the group.
with activity as not materialized (
    select
        case $by when 'project' then project when 'region' then region end as by_value,
        period_start as order_month,
        cohort_start,
        customer_id,
        customers
    from int_activity_counts
    where grain = $grain
      and (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or first_day <= $as_of::date)  -- nothing after the as-of day
),

spread_activity as (
    select distinct by_value, customer_id, order_month
    from activity
    where customer_id is not null
),

-- (group, cohort, month) -> customers active: counted ones as stored, the spread ones here
cohort_months as (
    select by_value, cohort_start as cohort_month, order_month, sum(customers) as customers
    from activity
    where customer_id is null
    group by all
    union all
    select
        spread_activity.by_value,
        min(spread_activity.order_month) over (
            partition by spread_activity.by_value, spread_activity.customer_id
        ) as cohort_month,
        spread_activity.order_month,
        1 as customers
    from spread_activity
),

cohorts as (
    select by_value, cohort_month, sum(customers) as cohort_size
    from cohort_months
    where order_month = cohort_month
    group by all
),

-- the last month with an order in scope: from the counted months, not another pass
last_month as (
    select max(order_month) as last_month from cohort_months
),

-- month numbers from the date spine: "months since" is a subtraction on every engine
months as (
    select period_start as month_start, period_no as month_no
    from date_spine
    where grain = 'month'
),

grid as (
    select
        cohorts.by_value,
        cohorts.cohort_month,
        cohorts.cohort_size,
        months.month_no - cohort_no.month_no as months_since_first
    from cohorts
    cross join last_month
    inner join months as cohort_no on cohort_no.month_start = cohorts.cohort_month
    inner join months
        on months.month_start between cohorts.cohort_month and last_month.last_month
),

cohort_activity as (
    select
        cohort_months.by_value,
        cohort_months.cohort_month,
        order_no.month_no - cohort_no.month_no as months_since_first,
        sum(cohort_months.customers) as active_customers
    from cohort_months
    inner join months as cohort_no on cohort_no.month_start = cohort_months.cohort_month
    inner join months as order_no on order_no.month_start = cohort_months.order_month
    group by all
),

final as (
    select
        grid.cohort_month,
        grid.by_value,
        grid.months_since_first,
        grid.cohort_size::bigint as cohort_size,
        coalesce(cohort_activity.active_customers, 0)::bigint as active_customers,
        coalesce(cohort_activity.active_customers, 0) / grid.cohort_size::double as retention_rate
    from grid
    left join cohort_activity
        on cohort_activity.cohort_month = grid.cohort_month
        and cohort_activity.months_since_first = grid.months_since_first
        and cohort_activity.by_value is not distinct from grid.by_value
    where ($date_from is null or grid.cohort_month >= $date_from)
      and ($date_to is null or grid.cohort_month <= $date_to)
    order by grid.cohort_month, grid.by_value, grid.months_since_first
)

select * from final
