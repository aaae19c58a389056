/* ---
title = "Leaky bucket: retained, new, returning and lost customers"
title_zh = "客户漏桶：留存、新增、回流与流失客户"
description = "Customer flows per period, one row per flow: retained (ordered in the previous period and in this one), new (first order ever in this period), returning (ordered now, not in the previous period, but before), lost (ordered in the previous period but not in this one, shown as a negative number). Retained + new + returning = the period's active customers; new + returning + lost (negative) = the change in active customers from the previous period. Customers are active as in retention (an order in the period, in scope)."
description_zh = "每期客户流动，每种流动一行：留存（上期与本期均下单）、新增（本期首次下单）、回流（本期下单、上期未下单但更早下过单）、流失（上期下单而本期未下单，以负数表示）。留存 + 新增 + 回流 = 本期活跃客户数；新增 + 回流 + 流失（负数）= 活跃客户数较上期的变化。活跃的定义与客户保留率相同（本期在筛选范围内有订单）。"
unit = "count"
params = ["grain", "date_from", "date_to", "projects", "regions", "by", "as_of"]
default_grain = "month"

[units]
customers = "count"

[chart]
mark = "bar"
x = "period_start"
y = "customers"
color = "flow"
tooltip = ["period_start", "flow", "customers"]

[labels]
period_start = "Period start"
flow = "Flow"
customers = "Customers"

[labels_zh]
period_start = "周期起始日"
flow = "流动"
customers = "客户数"
--- */
-- Same periods as retention: contiguous over all history in scope; --from/--to only choose
-- which are printed, so the first printed period still sees the one before it.
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

activity as (
    select distinct
        case $by when 'project' then project when 'region' then region end as by_value,
        customer_id,
        period_start
    from int_customer_periods
),

periods as (
    select date_spine.period_start
    from (select min(period_start) as lo, max(period_start) as hi from activity) as bounds
    inner join date_spine
        on date_spine.grain = $grain
        and date_spine.period_start between bounds.lo and bounds.hi
),

flows as (
    select * from (values ('retained', 1), ('new', 2), ('returning', 3), ('lost', 4))
        as f (flow, flow_order)
),

grid as (
    select periods.period_start, groups.by_value, flows.flow, flows.flow_order
    from periods
    cross join (select distinct by_value from activity) as groups
    cross join flows
),

first_orders as (
    select by_value, customer_id, min(period_start) as first_start
    from activity
    group by all
),

-- every customer active in a period is new, returning or retained
active_flows as (
    select
        cur.by_value,
        cur.period_start,
        case
            when first_orders.first_start = cur.period_start then 'new'
            when prev.customer_id is null then 'returning'
            else 'retained'
        end as flow
    from activity as cur
    cross join step
    inner join first_orders
        on first_orders.customer_id = cur.customer_id
        and first_orders.by_value is not distinct from cur.by_value
    left join activity as prev
        on prev.customer_id = cur.customer_id
        and prev.by_value is not distinct from cur.by_value
        and prev.period_start = (cur.period_start - step.step)::date
),

lost as (
    select prev.by_value, (prev.period_start + step.step)::date as period_start, 'lost' as flow
    from activity as prev
    cross join step
    left join activity as cur
        on cur.customer_id = prev.customer_id
        and cur.by_value is not distinct from prev.by_value
        and cur.period_start = (prev.period_start + step.step)::date
    where cur.customer_id is null
),

counts as (
    select by_value, period_start, flow, count(*) as customers
    from (
        select * from active_flows where flow is not null
        union all
        select * from lost
    )
    group by all
),

final as (
    select
        grid.period_start,
        grid.by_value,
        grid.flow,
        case when grid.flow = 'lost' then -1 else 1 end * coalesce(counts.customers, 0)
            as customers
    from grid
    left join counts
        on counts.period_start = grid.period_start
        and counts.by_value is not distinct from grid.by_value
        and counts.flow = grid.flow
    where ($date_from is null or grid.period_start >= $date_from)
      and ($date_to is null or grid.period_start <= $date_to)
    order by grid.period_start, grid.by_value, grid.flow_order
)

select * from final
