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
-- --from/--to choose cohorts by cohort_month.
with activity as (
    select distinct
        case $by when 'project' then project when 'region' then region end as by_value,
        customer_id,
        period_start as order_month
    from int_customer_periods
),

first_orders as (
    select by_value, customer_id, min(order_month) as cohort_month
    from activity
    group by all
),

cohorts as (
    select by_value, cohort_month, count(*) as cohort_size
    from first_orders
    group by all
),

last_month as (
    select max(order_month) as last_month from activity
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
        first_orders.by_value,
        first_orders.cohort_month,
        order_no.month_no - cohort_no.month_no as months_since_first,
        count(*) as active_customers
    from first_orders
    inner join activity
        on activity.customer_id = first_orders.customer_id
        and activity.by_value is not distinct from first_orders.by_value
    inner join months as cohort_no on cohort_no.month_start = first_orders.cohort_month
    inner join months as order_no on order_no.month_start = activity.order_month
    group by all
),

final as (
    select
        grid.cohort_month,
        grid.by_value,
        grid.months_since_first,
        grid.cohort_size,
        coalesce(cohort_activity.active_customers, 0) as active_customers,
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
