/* ---
title = "Complaint categories: Pareto (80/20)"
title_zh = "投诉类别帕累托分析（80/20）"
description = "Complaints opened in the date range per category, largest first, with each category's share and the cumulative share. vital_few marks the categories that together make up the first 80 % of complaints (the category that crosses 80 % included). A missing category shows as '(none)'."
description_zh = "日期范围内受理的投诉按类别统计，从多到少排列，列出各类别占比与累计占比。vital_few 标出合计构成前 80% 投诉的类别（含跨过 80% 的那一类）。类别为空时记为 '(none)'。"
unit = "count"
params = ["date_from", "date_to", "projects", "regions"]

[units]
rank = "count"
complaints = "count"
share = "rate"
cumulative_share = "rate"

[chart]
mark = "bar"
x = "category"
y = "complaints"
color = "vital_few"
tooltip = ["rank", "category", "complaints", "share", "cumulative_share"]
--- */
-- Ties are broken by category name so the order (and the cumulative share) is stable.
with complaints as (
    select category_label as category
    from stg_complaints
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($date_from is null or opened_at >= $date_from)
      and ($date_to is null or opened_at < $date_to::date + 1)
),

per_category as (
    select category, count(*) as complaints
    from complaints
    group by all
),

running as (
    select
        category,
        complaints,
        row_number() over (order by complaints desc, category) as rank,
        sum(complaints) over (
            order by complaints desc, category rows between unbounded preceding and current row
        ) as cumulative_complaints,
        sum(complaints) over () as total
    from per_category
),

final as (
    select
        rank,
        category,
        complaints,
        complaints / total::double as share,
        cumulative_complaints / total::double as cumulative_share,
        -- one of the vital few while the categories before it are under 80 % (exact integers)
        (cumulative_complaints - complaints) * 10 < total * 8 as vital_few
    from running
    order by rank
)

select * from final
