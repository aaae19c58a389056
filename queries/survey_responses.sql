/* ---
title = "Survey answers (the rows behind the number)"
title_zh = "满意度问卷明细"
description = "Every survey response in the periods whose start lies in the date range: its period, customer, project, region, time, CSAT (1-5) and NPS (0-10) answers, and whether it counts as satisfied (CSAT 4-5), a promoter (NPS 9-10) or a detractor (NPS 0-6). Lowest scores first."
description_zh = "起始日在日期范围内的各期的全部问卷：所属期间、客户、项目、区域、提交时间、满意度（1-5）与推荐意愿（0-10），以及是否计为满意（4-5 分）、推荐者（9-10 分）或贬损者（0-6 分）。低分在前。"
unit = "table"
params = ["grain", "date_from", "date_to", "projects", "regions", "as_of"]
default_grain = "week"

[units]
csat = "score"
nps = "score"

[chart]
mark = "table"

[labels]
period_start = "Period start"
response_id = "Response"
customer_id = "Customer ID"
project = "Project"
region = "Region"
submitted_at = "Submitted"
csat = "CSAT score"
nps = "NPS"
is_satisfied = "Satisfied (4-5)"
is_promoter = "Promoter (9-10)"
is_detractor = "Detractor (0-6)"

[labels_zh]
period_start = "周期起始日"
response_id = "问卷编号"
customer_id = "客户编号"
project = "项目"
region = "区域"
submitted_at = "提交时间"
csat = "满意度评分"
nps = "净推荐值NPS"
is_satisfied = "满意（4-5 分）"
is_promoter = "推荐者（9-10 分）"
is_detractor = "贬损者（0-6 分）"
--- */
with surveys as (
    select
        *,
        date_trunc($grain, submitted_at)::date as period_start
    from stg_surveys
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or submitted_at < $as_of::date + 1)  -- nothing after the as-of day
),

final as (
    select
        period_start,
        response_id,
        customer_id,
        project,
        region,
        submitted_at,
        csat,
        nps,
        is_satisfied,
        coalesce(is_promoter, false) as is_promoter,
        coalesce(is_detractor, false) as is_detractor
    from surveys
    where ($date_from is null or period_start >= $date_from)
      and ($date_to is null or period_start <= $date_to)
    order by period_start, csat, nps nulls last, response_id
)

select * from final
