/* ---
title = "VIP customers (intermediate, stored)"
title_zh = "VIP 客户（中间层，预存）"
description = "One row per customer marked VIP in the customers export, with their own project and region and their VIP start (vip_from: the later of vip_since and joined_on; empty = since always). Stored at every import; VIP coverage reads its VIPs from here."
description_zh = "客户档案中标记为 VIP 的每个客户一行，含其自身项目、区域与 VIP 起始日（vip_from：vip_since 与 joined_on 中较晚者；为空表示一直是）。每次导入时预存；VIP 回访覆盖率从这里读取 VIP。"
unit = "table"
materialize = true

[labels]
customer_id = "Customer"
project = "Project"
region = "Region"
vip_from = "VIP since"

[labels_zh]
customer_id = "客户"
project = "项目"
region = "区域"
vip_from = "VIP 起始日"

[chart]
mark = "table"
--- */
-- Why stored: a VIP KPI for one project must not scan every customer (300k at 2M orders)
-- to find its few hundred VIPs; sorted by project and region, a filter reads only its rows.
with customers as (
    select
        customer_id,
        project,
        region,
        is_vip,
        vip_from
    from stg_customers
),

final as (
    select
        customer_id,
        project,
        region,
        vip_from
    from customers
    where is_vip
    order by project, region, customer_id
)

select * from final
