/* ---
title = "Complaint handling"
title_zh = "投诉处理"
description = "Complaints opened per period: resolved, median and p90 resolution hours, share resolved within the SLA (open ones count as not met), median first-response hours and the backlog still open at the period's end."
description_zh = "每期受理的投诉：已办结数、处理时长中位数与 P90、按时办结率（未办结视为未按时）、首次响应时长中位数，以及期末仍未办结的积压量。"
unit = "hours"
params = ["grain", "date_from", "date_to", "projects", "regions", "by", "as_of", "sla_default_hours", "sla_rules", "sla_clock", "calendar_weekday_mask", "calendar_work_hours", "calendar_months", "calendar_months_added", "calendar_months_removed", "calendar_months_covered", "calendar_covers_every_year"]
default_grain = "week"

[units]
opened = "count"
resolved = "count"
median_resolution_hours = "hours"
p90_resolution_hours = "hours"
sla_met = "count"
sla_met_rate = "rate"
median_first_response_hours = "hours"
backlog_end = "count"

[chart]
mark = "line"
x = "period_start"
y = "median_resolution_hours"
--- */
-- Each complaint's SLA (hours and clock, matched once) and whether it met it come from
-- int_complaints_met (the stored int_complaint_sla_facts). With $as_of = D the complaints
-- are as they stood at the end of D (int_complaints_as_of): opened later left out,
-- resolved later still open; so the period containing D ends with D and its backlog is the
-- one at the end of D.
with step as (
    select case when $grain = 'week' then interval 7 day else interval 1 month end as step
),

-- The medians and the 90th percentile are taken of whole microseconds (bigint, rounded from
-- the epoch() difference, which Spark also has), then turned into hours: the same
-- interpolation, and DuckDB's quantile over integers is cheaper than over doubles (188k
-- complaints: ~14 ms instead of ~19 ms each).
complaints as (
    select
        *,
        date_trunc($grain, opened_at)::date as period_start,
        case $by when 'project' then project when 'region' then region end as by_value,
        ((epoch(resolved_at) - epoch(opened_at)) * 1000000)::bigint as resolution_us,
        ((epoch(first_response_at) - epoch(opened_at)) * 1000000)::bigint as first_response_us
    from int_complaints_met
),

-- a period's own figures need only its own complaints: --from/--to reach the table scan
-- (the backlog and the period range below still use every complaint in scope)
printed_complaints as (
    select complaints.*
    from complaints
    cross join step
    where ($date_from is null or complaints.opened_at >= date_trunc($grain, $date_from::date))
      and ($date_to is null or complaints.opened_at < date_trunc($grain, $date_to::date) + step.step)
),

periods as (
    select date_spine.period_start
    from (select min(period_start) as lo, max(period_start) as hi from complaints) as bounds
    inner join date_spine
        on date_spine.grain = $grain
        and date_spine.period_start between bounds.lo and bounds.hi
),

grid as (
    select
        periods.period_start,
        groups.by_value,
        periods.period_start + step.step as period_end
    from periods
    cross join (select distinct by_value from complaints) as groups
    cross join step
),

per_period as (
    select
        period_start,
        by_value,
        count(*) as opened,
        count(*) filter (where is_resolved) as resolved,
        quantile_cont(resolution_us, 0.5) / 3600e6 as median_resolution_hours,
        quantile_cont(resolution_us, 0.9) / 3600e6 as p90_resolution_hours,
        count(*) filter (where is_sla_met) as sla_met,
        quantile_cont(first_response_us, 0.5) / 3600e6 as median_first_response_hours
    from printed_complaints
    group by all
),

-- over every complaint in scope, opened any time: still open when the period ends, i.e.
-- opened_at < end and (resolved_at is null or resolved_at >= end). A complaint is in that
-- backlog exactly from the period of opened_at up to (not including) the period of
-- resolved_at, so the backlog is a running sum of +1 at the opening period and -1 at the
-- resolving period (at the opening period itself when resolved_at is not in a later one:
-- never in the backlog). O(complaints) instead of periods x complaints.
backlog_steps as (
    select by_value, period_start, 1 as change
    from complaints
    union all
    select
        by_value,
        greatest(date_trunc($grain, resolved_at)::date, period_start) as period_start,
        -1 as change
    from complaints
    where resolved_at is not null
),

backlog_changes as (
    select by_value, period_start, sum(change) as change
    from backlog_steps
    group by all
),

backlog as (
    select
        grid.period_start,
        grid.by_value,
        -- periods before the grid hold no opening (the grid starts at the first complaint)
        coalesce(sum(backlog_changes.change) over (
            partition by grid.by_value
            order by grid.period_start
            rows between unbounded preceding and current row
        ), 0)::bigint as backlog_end
    from grid
    left join backlog_changes
        on backlog_changes.period_start = grid.period_start
        and backlog_changes.by_value is not distinct from grid.by_value
),

final as (
    select
        grid.period_start,
        grid.by_value,
        coalesce(per_period.opened, 0) as opened,
        coalesce(per_period.resolved, 0) as resolved,
        per_period.median_resolution_hours::double as median_resolution_hours,
        per_period.p90_resolution_hours::double as p90_resolution_hours,
        coalesce(per_period.sla_met, 0) as sla_met,
        per_period.sla_met / nullif(per_period.opened, 0)::double as sla_met_rate,
        per_period.median_first_response_hours::double as median_first_response_hours,
        backlog.backlog_end
    from grid
    left join per_period
        on per_period.period_start = grid.period_start
        and per_period.by_value is not distinct from grid.by_value
    left join backlog
        on backlog.period_start = grid.period_start
        and backlog.by_value is not distinct from grid.by_value
    where ($date_from is null or grid.period_start >= $date_from)
      and ($date_to is null or grid.period_start <= $date_to)
    order by grid.period_start, grid.by_value
)

select * from final
