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
-- Counted from the responses per day (int_survey_days, stored): a period's figures are
-- sums of its days', and the as-of day keeps the days up to it.
with surveys as (
    select
        *,
        date_trunc($grain, submitted_on)::date as period_start,
        case $by when 'project' then project when 'region' then region end as by_value
    from int_survey_days
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or submitted_on <= $as_of::date)  -- nothing after the as-of day
),

-- every figure comes from one pass over the days in scope, grouped by period: the period
-- range and the groups are read from those few rows
per_period as (
    select
        period_start,
        by_value,
        sum(responses)::bigint as responses,
        sum(csat_sum) / nullif(sum(csat_responses), 0)::double as csat_avg,
        sum(satisfied)::bigint as satisfied,
        sum(nps_responses)::bigint as nps_responses,
        sum(promoters)::bigint as promoters,
        sum(detractors)::bigint as detractors
    from surveys
    group by all
),

periods as (
    select date_spine.period_start
    from (select min(period_start) as lo, max(period_start) as hi from per_period) as bounds
    inner join date_spine
        on date_spine.grain = $grain
        and date_spine.period_start between bounds.lo and bounds.hi
),

grid as (
    select periods.period_start, groups.by_value
    from periods
    cross join (select distinct by_value from per_period) as groups
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
