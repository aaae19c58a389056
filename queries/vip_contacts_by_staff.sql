/* ---
title = "VIP contacts per staff member"
title_zh = "各员工 VIP 回访量"
description = "Contacts with VIPs made in the date range, per staff member: all contacts, phone calls, visits and other methods, distinct VIPs reached and the staff member's share of all VIP contacts. Only contacts of customers who were VIPs on the contact day count (as in VIP coverage); a missing staff name shows as '(none)'. Project and region filters use the VIP's own project/region."
description_zh = "日期范围内对 VIP 客户的回访，按员工统计：回访总次数、电话、上门拜访与其他方式次数、回访到的 VIP 人数，以及该员工占全部 VIP 回访的比例。只统计回访当天已是 VIP 的客户（与 VIP 回访覆盖率一致）；员工为空时记为 '(none)'。项目与区域筛选按 VIP 客户本身的项目/区域。"
unit = "count"
params = ["date_from", "date_to", "projects", "regions"]

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
--- */
with contacts as (
    select
        coalesce(nullif(trim(staff), ''), '(none)') as staff,
        customer_id,
        method
    from stg_vip_contacts
    where is_vip
      and (vip_from is null or vip_from <= contacted_at::date)
      and (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($date_from is null or contacted_at >= $date_from)
      and ($date_to is null or contacted_at < $date_to::date + 1)
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
