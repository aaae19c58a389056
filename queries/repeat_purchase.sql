/* ---
title = "Repeat-purchase rate by project"
title_zh = "各项目复购率"
description = "Per project, over the orders in the periods (at the grain) whose start lies in the date range: customers who ordered, those who ordered at least twice (repeat buyers), the repeat-purchase rate = repeat buyers / buyers, and orders per buyer. A customer counts in the project of each order."
description_zh = "按项目统计起始日在日期范围内的各期（按粒度）的订单：下单客户数、下单至少两次的客户数（复购客户），复购率 = 复购客户 / 下单客户，以及人均订单数。客户按每笔订单所属项目计入。"
unit = "rate"
params = ["grain", "date_from", "date_to", "projects", "regions", "as_of"]
default_grain = "week"

[units]
buyers = "count"
repeat_buyers = "count"
repeat_rate = "rate"
orders = "count"
orders_per_buyer = "score"

[chart]
mark = "bar"
x = "project"
y = "repeat_rate"
tooltip = ["project", "region", "buyers", "repeat_buyers", "repeat_rate", "orders"]

[labels]
project = "Project"
region = "Region"
buyers = "Buyers"
repeat_buyers = "Repeat buyers"
repeat_rate = "Repeat-purchase rate"
orders = "Orders"
orders_per_buyer = "Orders per buyer"

[labels_zh]
project = "项目"
region = "区域"
buyers = "下单客户数"
repeat_buyers = "复购客户数"
repeat_rate = "复购率"
orders = "订单数"
orders_per_buyer = "人均订单数"
--- */
with orders as (
    select project, region, customer_id
    from stg_orders
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or ordered_at < $as_of::date + 1)  -- nothing after the as-of day
      -- the date range picks periods by period_start, as every KPI does
      and ($date_from is null or date_trunc($grain, ordered_at) >= $date_from)
      and ($date_to is null or date_trunc($grain, ordered_at) <= $date_to)
),

per_customer as (
    select project, customer_id, count(*) as orders
    from orders
    group by all
),

-- a project normally lies in one region; if not, show the region with most of its orders
project_region as (
    select project, mode(region) as region
    from orders
    group by all
),

final as (
    select
        per_customer.project,
        project_region.region,
        count(*) as buyers,
        count(*) filter (where per_customer.orders >= 2) as repeat_buyers,
        count(*) filter (where per_customer.orders >= 2) / count(*)::double as repeat_rate,
        sum(per_customer.orders)::bigint as orders,
        sum(per_customer.orders) / count(*)::double as orders_per_buyer
    from per_customer
    inner join project_region on project_region.project = per_customer.project
    group by all
    order by repeat_rate desc, per_customer.project
)

select * from final
