/* ---
title = "Complaint categories: Pareto (80/20)"
title_zh = "投诉类别帕累托分析（80/20）"
description = "Complaints opened in the periods (week or month) whose start lies in the date range per category, largest first, with each category's share and the cumulative share. vital_few marks the categories that together make up the first 80 % of complaints (the category that crosses 80 % included). A missing category shows as '(none)'."
description_zh = "开始日期落在日期范围内的各期（周或月）受理的投诉按类别统计，从多到少排列，列出各类别占比与累计占比。vital_few 标出合计构成前 80% 投诉的类别（含跨过 80% 的那一类）。类别为空时记为 '(none)'。"
unit = "count"
params = ["grain", "date_from", "date_to", "projects", "regions", "as_of"]
default_grain = "week"

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

[labels]
rank = "Rank"
category = "Category"
complaints = "Complaints"
share = "Share"
cumulative_share = "Cumulative share"
vital_few = "Among the vital few (80 %)"

[labels_zh]
rank = "排名"
category = "投诉类别"
complaints = "投诉数"
share = "占比"
cumulative_share = "累计占比"
vital_few = "属于关键少数（80%）"
--- */
-- Ties are broken by category name so the order (and the cumulative share) is stable.
-- --from/--to choose periods by period_start, as for every KPI (shared/spec/kpis.md).
with complaints as (
    select category_label as category
    from int_complaints_as_of
    where ($date_from is null or date_trunc($grain, opened_at)::date >= $date_from)
      and ($date_to is null or date_trunc($grain, opened_at)::date <= $date_to)
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
