/* ---
title = "Contacts of VIP customers (intermediate, stored)"
title_zh = "VIP 客户的回访记录（中间层，预存）"
description = "One row per contact (call or visit) of a customer marked VIP, with the VIP's own project, region and VIP start, the contact's day, week and month, whether it is the customer's first contact of that day, week and month, and the day of the customer's next contact after this one's day (empty for the last): what VIP coverage counts (a contact counts when the customer was a VIP in its period). Stored at every import."
description_zh = "标记为 VIP 的客户的每条回访记录（电话或上门）一行，含该 VIP 自身的项目、区域与 VIP 起始日，回访所在的日、周与月，是否为该客户当天、当周与当月的第一次回访，以及该客户在本次回访日之后下一次回访的日期（最后一次为空）：VIP 回访覆盖率计数的对象（客户在该期间为 VIP 时计入）。每次导入时预存。"
unit = "table"
materialize = true

[labels]
contact_id = "Contact"
customer_id = "Customer"
contacted_at = "Contacted at"
method = "Method"
project = "Project"
region = "Region"
vip_from = "VIP since"
contact_day = "Contact day"
week_start = "Week"
month_start = "Month"
first_of_day = "First contact of the day"
first_in_week = "First contact of the week"
first_in_month = "First contact of the month"
next_contact_day = "Next contact"

[labels_zh]
contact_id = "回访编号"
customer_id = "客户"
contacted_at = "回访时间"
method = "方式"
project = "项目"
region = "区域"
vip_from = "VIP 起始日"
contact_day = "回访日"
week_start = "周"
month_start = "月"
first_of_day = "当天第一次回访"
first_in_week = "当周第一次回访"
first_in_month = "当月第一次回访"
next_contact_day = "下次回访日"

[chart]
mark = "table"
--- */
-- Contacts of customers who are not VIPs are never counted, so they are left out here;
-- the VIP's project and region (contacts carry none) are joined once, at import.
with contacts as (
    select
        contact_id,
        customer_id,
        contacted_at,
        method,
        project,
        region,
        is_vip,
        vip_from
    from stg_vip_contacts
    where is_vip
),

-- each contact day's next one, once per import: VIP coverage finds the VIPs covered in a
-- period from ranges that then never overlap for one VIP (no distinct count, no window
-- at query time)
contact_days as (
    select distinct customer_id, contacted_at::date as contact_day
    from contacts
),

next_days as (
    select
        customer_id,
        contact_day,
        lead(contact_day) over (partition by customer_id order by contact_day)
            as next_contact_day
    from contact_days
),

-- the periods and the first contact of a customer's day are worked out here, once: VIP
-- coverage then reads plain columns (no date_trunc, no distinct count per call: a VIP's
-- first contact in a period stands for the VIP)
final as (
    select
        contacts.contact_id,
        contacts.customer_id,
        contacts.contacted_at,
        contacts.method,
        contacts.project,
        contacts.region,
        contacts.vip_from,
        next_days.contact_day,
        date_trunc('week', next_days.contact_day)::date as week_start,
        date_trunc('month', next_days.contact_day)::date as month_start,
        row_number() over (
            partition by contacts.customer_id, next_days.contact_day
            order by contacts.contacted_at, contacts.contact_id
        ) = 1 as first_of_day,
        row_number() over (
            partition by contacts.customer_id, date_trunc('week', next_days.contact_day)
            order by contacts.contacted_at, contacts.contact_id
        ) = 1 as first_in_week,
        row_number() over (
            partition by contacts.customer_id, date_trunc('month', next_days.contact_day)
            order by contacts.contacted_at, contacts.contact_id
        ) = 1 as first_in_month,
        next_days.next_contact_day
    from contacts
    inner join next_days
        on next_days.customer_id = contacts.customer_id
        and next_days.contact_day = contacts.contacted_at::date
    order by contacts.project, contacts.region, contacts.contacted_at
)

select * from final
