/* ---
title = "VIP contacts (staging)"
title_zh = "VIP 回访记录（清洗层）"
description = "One row per VIP contact, with the contacted customer's project, region and VIP dates from the customers export (NULL for an unknown customer)."
description_zh = "每次回访一行，附带被回访客户在客户表中的项目、区域与 VIP 日期（未知客户为空）。"
--- */
-- VIP KPIs filter on the customer's own project/region, which contacts do not carry.
with contacts as (
    select * from vip_contacts
),

customers as (
    select * from stg_customers
),

final as (
    select
        contacts.contact_id,
        contacts.customer_id,
        contacts.contacted_at,
        contacts.method,
        contacts.method_raw,
        contacts.staff,
        customers.project,
        customers.region,
        coalesce(customers.is_vip, false) as is_vip,
        customers.vip_from
    from contacts
    left join customers on customers.customer_id = contacts.customer_id
)

select * from final
