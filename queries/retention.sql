/* ---
title = "Customer retention"
title_zh = "客户保留率"
description = "Active, retained, new customers per period; retention = retained / active in the previous period, churn = 1 - retention."
description_zh = "每期活跃、留存与新增客户；保留率 = 本期仍活跃的上期客户 / 上期活跃客户，流失率 = 1 - 保留率。"
unit = "rate"
params = ["grain", "date_from", "date_to", "projects", "regions", "by", "as_of"]
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
-- new over all history. The counts come from int_retention_counts (shared with the leaky
-- bucket and the headlines).
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
        retained_customers / nullif(previous_active, 0)::double as retention_rate,
        1 - retained_customers / nullif(previous_active, 0)::double as churn_rate
    from counts
    where ($date_from is null or period_start >= $date_from)
      and ($date_to is null or period_start <= $date_to)
    order by period_start, by_value
)

select * from final
