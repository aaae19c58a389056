/* ---
title = "Lost customers (the rows behind the number)"
title_zh = "流失客户明细"
description = "The customers behind 'lost customers': active in the previous period (an order in scope) but not in this one, per period whose start lies in the date range, with their last order before the period and the project and region of that order."
description_zh = "“流失客户数”背后的客户明细：上期在筛选范围内有订单、本期没有的客户，按起始日在日期范围内的各期列出，附带其在本期之前的最后一笔订单及该订单所属项目与区域。"
unit = "table"
params = ["grain", "date_from", "date_to", "projects", "regions", "as_of"]
default_grain = "week"

[units]
orders_previous_period = "count"

[chart]
mark = "table"

[labels]
period_start = "Period start"
customer_id = "Customer ID"
customer_name = "Customer"
project = "Project"
region = "Region"
last_order_at = "Last order"
orders_previous_period = "Orders the period before"

[labels_zh]
period_start = "周期起始日"
customer_id = "客户编号"
customer_name = "客户名称"
project = "项目"
region = "区域"
last_order_at = "最后下单时间"
orders_previous_period = "上期订单数"
--- */
-- Lost in period P = active in the period before P (as in retention) and not in P. The
-- count per period equals retention's previous_active - retained_customers.
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

active as (
    select distinct customer_id, period_start from int_customer_periods
),

-- the period after each active one, unless the customer was active then too
lost as (
    select
        active.customer_id,
        (active.period_start + step.step)::date as period_start,
        active.period_start as previous_start
    from active
    cross join step
    anti join active as next_period
        on next_period.customer_id = active.customer_id
        and next_period.period_start = (active.period_start + step.step)::date
),

-- only up to the last period with an order in scope (a later period has not happened)
last_period as (
    select max(period_start) as last_start from active
),

last_orders as (
    select
        lost.customer_id,
        lost.period_start,
        sum(periods.orders)::bigint as orders_previous_period,
        max(periods.last_ordered_at) as last_order_at,
        arg_max(periods.project, periods.last_ordered_at) as project,
        arg_max(periods.region, periods.last_ordered_at) as region
    from lost
    inner join int_customer_periods as periods
        on periods.customer_id = lost.customer_id
        and periods.period_start = lost.previous_start
    group by all
),

final as (
    select
        last_orders.period_start,
        last_orders.customer_id,
        customers.customer_name,
        last_orders.project,
        last_orders.region,
        last_orders.last_order_at,
        last_orders.orders_previous_period
    from last_orders
    cross join last_period
    left join stg_customers as customers on customers.customer_id = last_orders.customer_id
    where last_orders.period_start <= last_period.last_start
      and ($date_from is null or last_orders.period_start >= $date_from)
      and ($date_to is null or last_orders.period_start <= $date_to)
    order by last_orders.period_start, last_orders.project, last_orders.customer_id
)

select * from final
