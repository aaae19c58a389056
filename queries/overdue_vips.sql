/* ---
title = "Overdue VIPs"
title_zh = "逾期未回访 VIP"
description = "VIPs due for a contact (a VIP for the whole interval of 30 days ending on the as-of day; default: the last day with a VIP contact) with no contact in that interval, with their last contact. days_overdue = days since the last contact - interval + 1 (empty if never contacted); never-contacted VIPs first, then the most overdue."
description_zh = "截至指定日期（默认：最后一次回访的日期）的整个回访周期（30 天）内均为 VIP（应回访）却未被回访的客户及其最近回访时间；逾期天数 = 距最近回访天数 - 周期 + 1（从未回访则为空）。从未回访者排在最前，其次按逾期天数降序。"
unit = "table"
params = ["projects", "regions", "as_of", "vip_interval_days"]

[units]
days_since_contact = "days"
days_overdue = "days"

[chart]
mark = "table"

[labels]
customer_id = "Customer ID"
customer_name = "Customer"
project = "Project"
region = "Region"
vip_since = "VIP since"
last_contact_at = "Last contact"
days_since_contact = "Days since contact"
days_overdue = "Days overdue"

[labels_zh]
customer_id = "客户编号"
customer_name = "客户名称"
project = "项目"
region = "区域"
vip_since = "VIP起始日期"
last_contact_at = "最近回访"
days_since_contact = "距上次回访天数"
days_overdue = "逾期天数"
--- */
with contacts as (
    select customer_id, contacted_at from stg_vip_contacts
),

as_of as (
    select coalesce(
        $as_of::date,
        (select max(contacted_at)::date from stg_vip_contacts where is_vip)
    ) as as_of
),

-- due: a VIP for the whole interval ending on the as-of day (VIP start on or before its
-- first day), the rule of vip_coverage's overdue_vips
vips as (
    select customers.*, as_of.as_of
    from stg_customers as customers
    cross join as_of
    where customers.is_vip
      and (customers.vip_from is null
          or customers.vip_from <= as_of.as_of - ($vip_interval_days - 1))
      and (len($projects) = 0 or list_contains($projects, customers.project))
      and (len($regions) = 0 or list_contains($regions, customers.region))
),

last_contact as (
    select vips.customer_id, max(contacts.contacted_at) as last_contact_at
    from vips
    inner join contacts
        on contacts.customer_id = vips.customer_id
        and contacts.contacted_at < vips.as_of + 1  -- up to the end of the as-of day
    group by all
),

final as (
    select
        vips.customer_id,
        vips.customer_name,
        vips.project,
        vips.region,
        vips.vip_since,
        last_contact.last_contact_at,
        date_diff('day', last_contact.last_contact_at::date, vips.as_of) as days_since_contact,
        date_diff('day', last_contact.last_contact_at::date, vips.as_of)
            - $vip_interval_days + 1 as days_overdue
    from vips
    left join last_contact on last_contact.customer_id = vips.customer_id
    -- overdue: no contact in the interval ending on the as-of day (that day and the ones before)
    where last_contact.last_contact_at is null
       or last_contact.last_contact_at < vips.as_of - ($vip_interval_days - 1)
    order by last_contact.last_contact_at is not null, days_overdue desc, vips.customer_id
)

select * from final
