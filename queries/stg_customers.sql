/* ---
title = "Customers (staging)"
title_zh = "客户（清洗层）"
description = "One row per customer with vip_from: the first day the customer counts as a VIP (the later of vip_since and joined_on; NULL = since always)."
description_zh = "每个客户一行；vip_from 为客户开始计为 VIP 的日期（vip_since 与 joined_on 中较晚者；为空表示一直是）。"
--- */
-- Why: the VIP definition (kpis.md) compares both vip_since and joined_on with a period's
-- last day; taking the later of the two once here keeps every VIP query consistent.
with source as (
    select * from customers
),

final as (
    select
        customer_id,
        customer_name,
        project,
        region,
        coalesce(is_vip, false) as is_vip,
        vip_since,
        joined_on,
        greatest(vip_since, joined_on) as vip_from  -- greatest() skips NULLs
    from source
)

select * from final
