/* ---
title = "Customers' active periods (intermediate)"
title_zh = "客户活跃期（中间层）"
description = "One row per customer, period, project and region in which the customer ordered (in the filter scope, nothing after the as-of day): the number of orders and the first and last order time. Retention cohorts, the leaky bucket and lost customers read their activity from here."
description_zh = "客户在筛选范围内有订单的每个期间、项目与区域各一行（不含截至日之后的订单）：订单数及首末下单时间。留存队列、客户流动与流失客户都从这里读取活跃情况。"
unit = "table"
params = ["grain", "projects", "regions", "as_of"]

[units]
orders = "count"

[chart]
mark = "table"
--- */
-- A customer is active in a period when they have an order in it (in filter scope). The
-- project and region are the order's own; a KPI grouped by one of them takes it from here.
with orders as (
    select
        customer_id,
        project,
        region,
        ordered_at
    from stg_orders
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or ordered_at < $as_of::date + 1)  -- nothing after the as-of day
),

final as (
    select
        customer_id,
        project,
        region,
        date_trunc($grain, ordered_at)::date as period_start,
        count(*) as orders,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at
    from orders
    -- no order by: the KPI files aggregate it again, and DuckDB would sort every row
    group by all
)

select * from final
