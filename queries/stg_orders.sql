/* ---
title = "Orders (staging)"
title_zh = "订单（清洗层）"
description = "One row per order: customer, project, region, order time and amount."
description_zh = "每个订单一行：客户、项目、区域、下单时间与金额。"
--- */
with source as (
    select * from orders
),

final as (
    select
        order_id,
        customer_id,
        project,
        region,
        ordered_at,
        amount
    from source
)

select * from final
