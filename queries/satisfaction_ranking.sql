/* ---
title = "Quarterly satisfaction ranking of projects"
title_zh = "各项目季度满意度排名"
description = "Projects ranked each calendar quarter by average CSAT (1 = best; equal averages share a rank), with responses, share satisfied, last quarter's rank and the rank change (positive = moved up). A project needs at least one response in a quarter to be ranked. The date range chooses which quarters are printed (by quarter start); last quarter's rank is still looked up."
description_zh = "每个自然季度按平均满意度（CSAT）对项目排名（1 为最好，平均分相同则名次相同），并列出问卷数、满意率、上季度排名与排名变化（正数表示上升）。项目在该季度至少有一份问卷才参与排名。日期范围选择显示哪些季度（按季度首日），上季度排名仍会计算。"
unit = "score"
params = ["date_from", "date_to", "projects", "regions", "as_of"]

[units]
responses = "count"
csat_avg = "score"
satisfied_rate = "rate"
rank = "count"
previous_rank = "count"
rank_change = "count"

[chart]
mark = "line"
x = "quarter_start"
y = "rank"
color = "project"
tooltip = ["quarter_start", "project", "rank", "previous_rank", "rank_change", "csat_avg", "responses"]

[labels]
quarter_start = "Quarter"
project = "Project"
responses = "Survey responses"
csat_avg = "CSAT (1-5)"
satisfied_rate = "Satisfied rate (4-5)"
rank = "Rank"
previous_rank = "Previous rank"
rank_change = "Rank change"

[labels_zh]
quarter_start = "季度"
project = "项目"
responses = "问卷数"
csat_avg = "满意度均分(1-5)"
satisfied_rate = "满意率(4-5分)"
rank = "排名"
previous_rank = "上期排名"
rank_change = "排名变化"
--- */
with surveys as (
    select project, date_trunc('quarter', submitted_at)::date as quarter_start, csat, is_satisfied
    from stg_surveys
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or submitted_at < $as_of::date + 1)  -- nothing after the as-of day
),

per_quarter as (
    select
        quarter_start,
        project,
        count(*) as responses,
        avg(csat) as csat_avg,
        avg(case when is_satisfied then 1.0 else 0.0 end) as satisfied_rate
    from surveys
    group by all
),

ranked as (
    select
        *,
        rank() over (partition by quarter_start order by csat_avg desc) as rank
    from per_quarter
),

final as (
    select
        cur.quarter_start,
        cur.project,
        cur.responses,
        cur.csat_avg,
        cur.satisfied_rate,
        cur.rank,
        prev.rank as previous_rank,
        prev.rank - cur.rank as rank_change
    from ranked as cur
    left join ranked as prev
        on prev.project = cur.project
        and prev.quarter_start = (cur.quarter_start - interval 3 month)::date
    where ($date_from is null or cur.quarter_start >= $date_from)
      and ($date_to is null or cur.quarter_start <= $date_to)
    order by cur.quarter_start, cur.rank, cur.project
)

select * from final
