/* ---
title = "Customer flow: active, retained, new, returning and lost customers"
title_zh = "客户流动：活跃、留存、新增、回流与流失客户"
description = "One row per period (and group): active customers, those active in the previous period, retained, new (first order ever in scope), returning (ordered before, not in the previous period) and lost (active in the previous period, not in this one). The same counts as retention and the leaky bucket, in one row per period; the Overview's and the weekly report's 'lost customers' come from here."
description_zh = "每期（及每组）一行：活跃客户、上期活跃客户、留存、新增（范围内首次下单）、回流（此前下过单、上期未下单）与流失（上期活跃、本期未活跃）。与客户保留率、客户漏桶的计数相同，每期一行；首页与周报中的“流失客户”取自这里。"
unit = "count"
params = ["grain", "date_from", "date_to", "projects", "regions", "by", "as_of"]
default_grain = "week"

[units]
active_customers = "count"
previous_active = "count"
retained_customers = "count"
new_customers = "count"
returning_customers = "count"
lost_customers = "count"

[chart]
mark = "line"
x = "period_start"
y = "lost_customers"

[labels]
period_start = "Period start"
active_customers = "Active customers"
previous_active = "Active in the previous period"
retained_customers = "Retained customers"
new_customers = "New customers"
returning_customers = "Returning customers"
lost_customers = "Lost customers"

[labels_zh]
period_start = "周期起始日"
active_customers = "活跃客户数"
previous_active = "上期活跃客户数"
retained_customers = "留存客户数"
new_customers = "新增客户数"
returning_customers = "回流客户数"
lost_customers = "流失客户数"
--- */
-- Lost = active in the previous period but not in this one: previous_active minus
-- retained, counted in int_retention_counts (the one place customer flows are counted).
with counts as (
    select * from int_retention_counts
),

final as (
    select
        period_start,
        by_value,
        active_customers,
        previous_active,
        retained_customers,
        new_customers,
        returning_customers,
        lost_customers
    from counts
    where ($date_from is null or period_start >= $date_from)
      and ($date_to is null or period_start <= $date_to)
    order by period_start, by_value
)

select * from final
