/* ---
title = "CSAT score distribution"
title_zh = "满意度评分分布"
description = "Survey responses per period and CSAT score (1-5); every score is listed for every period, with 0 when nobody gave it."
description_zh = "每期各满意度评分（1-5 分）的问卷数；每期均列出全部 5 个分值，无人选择时为 0。"
unit = "count"
params = ["grain", "date_from", "date_to", "projects", "regions", "as_of"]
default_grain = "month"

[chart]
mark = "bar"
x = "period_start"
y = "responses"
color = "csat"

[labels]
period_start = "Period start"
csat = "CSAT score"
responses = "Survey responses"

[labels_zh]
period_start = "周期起始日"
csat = "满意度评分"
responses = "问卷数"
--- */
with surveys as (
    select csat, date_trunc($grain, submitted_at)::date as period_start
    from stg_surveys
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or submitted_at < $as_of::date + 1)  -- nothing after the as-of day
),

periods as (
    select date_spine.period_start
    from (select min(period_start) as lo, max(period_start) as hi from surveys) as bounds
    inner join date_spine
        on date_spine.grain = $grain
        and date_spine.period_start between bounds.lo and bounds.hi
),

final as (
    select
        periods.period_start,
        scores.csat::integer as csat,
        count(surveys.csat) as responses
    from periods
    cross join (values (1), (2), (3), (4), (5)) as scores (csat)
    left join surveys
        on surveys.period_start = periods.period_start
        and surveys.csat = scores.csat
    where ($date_from is null or periods.period_start >= $date_from)
      and ($date_to is null or periods.period_start <= $date_to)
    group by all
    order by periods.period_start, csat
)

select * from final
