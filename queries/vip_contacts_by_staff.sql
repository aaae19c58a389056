/* ---
title = "VIP contacts per staff member"
title_zh = "各员工 VIP 回访量"
description = "Contacts with VIPs in the periods of the date range, per staff member: all contacts, phone calls, visits and other methods, distinct VIPs reached and the staff member's share of all VIP contacts. Only contacts of customers who were VIPs in the contact's period count (VIP start not after its last day, as in VIP coverage); a missing staff name shows as '(none)'. Project and region filters use the VIP's own project/region."
description_zh = "日期范围内各期对 VIP 客户的回访，按员工统计：回访总次数、电话、上门拜访与其他方式次数、回访到的 VIP 人数，以及该员工占全部 VIP 回访的比例。只统计回访所在期间内已是 VIP 的客户（VIP 起始日不晚于该期最后一天，与 VIP 回访覆盖率一致）；员工为空时记为 '(none)'。项目与区域筛选按 VIP 客户本身的项目/区域。"
unit = "count"
params = ["grain", "date_from", "date_to", "projects", "regions", "as_of"]
default_grain = "week"

[units]
contacts = "count"
phone_contacts = "count"
visit_contacts = "count"
other_contacts = "count"
vips_contacted = "count"
share_of_contacts = "rate"

[chart]
mark = "bar"
x = "staff"
y = "contacts"
tooltip = ["staff", "contacts", "phone_contacts", "visit_contacts", "other_contacts", "vips_contacted", "share_of_contacts"]

[labels]
staff = "Staff member"
contacts = "Contacts"
phone_contacts = "Phone calls"
visit_contacts = "Visits"
other_contacts = "Other contacts"
vips_contacted = "VIPs reached"
share_of_contacts = "Share of contacts"

[labels_zh]
staff = "回访人"
contacts = "回访次数"
phone_contacts = "电话回访"
visit_contacts = "上门拜访"
other_contacts = "其他方式回访"
vips_contacted = "回访到的VIP数"
share_of_contacts = "回访占比"
--- */
-- The date range picks periods by period_start, as every KPI does: a contact counts when
-- its period (at the grain) starts within the range. With $as_of, later contacts are left
-- out and the period containing it ends on it.
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

source as (
    select
        coalesce(nullif(trim(staff), ''), '(none)') as staff,
        customer_id,
        method,
        is_vip,
        vip_from,
        date_trunc($grain, contacted_at)::date as period_start
    from stg_vip_contacts
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or contacted_at < $as_of::date + 1)
),

contacts as (
    select source.staff, source.customer_id, source.method
    from source
    cross join step
    where source.is_vip
      and (source.vip_from is null
          or source.vip_from <= least((source.period_start + step.step)::date - 1, $as_of::date))
      and ($date_from is null or source.period_start >= $date_from)
      and ($date_to is null or source.period_start <= $date_to)
),

final as (
    select
        staff,
        count(*) as contacts,
        count(*) filter (where method = 'phone') as phone_contacts,
        count(*) filter (where method = 'visit') as visit_contacts,
        count(*) filter (where method not in ('phone', 'visit')) as other_contacts,
        count(distinct customer_id) as vips_contacted,
        count(*) / sum(count(*)) over ()::double as share_of_contacts
    from contacts
    group by all
    order by contacts desc, staff
)

select * from final
