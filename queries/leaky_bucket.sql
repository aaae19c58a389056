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
-- which are printed, so the first printed period still sees the one before it. Every active
-- customer is retained, new or returning; the counts come from int_retention_counts.
with counts as (
    select * from int_retention_counts
),

flows as (
    select
        counts.period_start,
        counts.by_value,
        flow.flow,
        flow.flow_order,
        case flow.flow
            when 'retained' then counts.retained_customers
            when 'new' then counts.new_customers
            when 'returning' then counts.returning_customers
            else -counts.lost_customers
        end as customers
    from counts
    cross join
        (values ('retained', 1), ('new', 2), ('returning', 3), ('lost', 4)) as flow (flow, flow_order)
),

final as (
    select
        period_start,
        by_value,
        flow,
        customers
    from flows
    where ($date_from is null or period_start >= $date_from)
      and ($date_to is null or period_start <= $date_to)
    order by period_start, by_value, flow_order
)

select * from final
