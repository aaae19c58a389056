/* ---
title = "Customer satisfaction"
title_zh = "满意度"
description = "Survey responses per period: average CSAT (1-5), share satisfied (CSAT 4-5), and NPS = 100 * (promoters 9-10 - detractors 0-6) / responses with an NPS answer."
description_zh = "每期问卷：平均满意度（1-5 分）、满意率（4-5 分占比），净推荐值 NPS = 100 ×（推荐者 9-10 分 - 贬损者 0-6 分）/ 有推荐意愿回答的问卷数。"
unit = "score"
params = ["grain", "date_from", "date_to", "projects", "regions", "by", "as_of"]
default_grain = "week"

[units]
responses = "count"
csat_avg = "score"
satisfied_rate = "rate"
nps_responses = "count"
nps = "nps"

[chart]
mark = "line"
x = "period_start"
y = "csat_avg"
--- */
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

surveys as (
    select
        *,
        date_trunc($grain, submitted_at)::date as period_start,
        case $by when 'project' then project when 'region' then region end as by_value
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

grid as (
    select periods.period_start, groups.by_value
    from periods
    cross join (select distinct by_value from surveys) as groups
),

-- a period's figures need only its own responses: --from/--to reach the table scan
-- (the period range and the groups above still come from every response in scope)
per_period as (
    select
        surveys.period_start,
        surveys.by_value,
        count(*) as responses,
        avg(surveys.csat) as csat_avg,
        count(*) filter (where surveys.is_satisfied) as satisfied,
        count(surveys.nps) as nps_responses,
        count(*) filter (where surveys.is_promoter) as promoters,
        count(*) filter (where surveys.is_detractor) as detractors
    from surveys
    cross join step
    where ($date_from is null or surveys.submitted_at >= date_trunc($grain, $date_from::date))
      and ($date_to is null or surveys.submitted_at < date_trunc($grain, $date_to::date) + step.step)
    group by all
),

final as (
    select
        grid.period_start,
        grid.by_value,
        coalesce(per_period.responses, 0) as responses,
        per_period.csat_avg::double as csat_avg,
        per_period.satisfied / nullif(per_period.responses, 0)::double as satisfied_rate,
        coalesce(per_period.nps_responses, 0) as nps_responses,
        100.0 * (per_period.promoters - per_period.detractors)
            / nullif(per_period.nps_responses, 0)::double as nps
    from grid
    left join per_period
        on per_period.period_start = grid.period_start
        and per_period.by_value is not distinct from grid.by_value
    where ($date_from is null or grid.period_start >= $date_from)
      and ($date_to is null or grid.period_start <= $date_to)
    order by grid.period_start, grid.by_value
)

select * from final
