/* ---
title = "Complaints with their SLA and clock (intermediate)"
title_zh = "投诉及其办结时限与计时方式（中间层）"
description = "One row per complaint in scope (as of the as-of day): its SLA hours and clock from the most specific [[sla.rules]] entry, how long it was open (to its resolution, else to the end of the as-of day or of the last day with complaint data) in calendar hours and in business hours, and whether it met its SLA. The only place SLA rules are matched."
description_zh = "范围内（截至指定日）的每条投诉：按最具体的 [[sla.rules]] 规则得到的办结时限与计时方式，开启时长（至办结，未办结则至截至日或数据最后一天日终）的自然小时与工作小时，以及是否按时办结。办结时限规则只在此处匹配。"
unit = "table"
params = ["projects", "regions", "as_of", "sla_default_hours", "sla_rules", "sla_clock", "calendar_workdays", "calendar_work_hours", "calendar_exception_days", "calendar_exception_working", "calendar_years"]

[units]
resolution_hours = "hours"
first_response_hours = "hours"
sla_hours = "hours"
calendar_hours = "hours"
business_hours = "hours"
clock_hours = "hours"

[chart]
mark = "table"
--- */
-- SLA (shared/spec/kpis.md "The SLA clock"): the hours and the clock of the most specific
-- [[sla.rules]] entry that matches (severity and category > one of them; the first in the
-- file on a tie), else [sla] default_hours on [sla] clock. Met when resolved and the hours
-- from opened_at to resolved_at, on its clock, are <= its SLA hours.
--
-- The business clock counts working seconds. W(t) = working seconds from an epoch up to t =
-- (working days before t's day) x (working seconds per day) + t's own day's working seconds
-- up to t; the business seconds of [a, b) are W(b) - W(a). Working days follow the weekday
-- rule ($calendar_workdays) except on the dates of $calendar_exception_days (public
-- holidays, make-up working days, overrides - built from [calendar] by dashboard/sla_clock),
-- so the calendar is read with one equi-join per end on the few distinct days involved:
-- O(complaints + days x exceptions), no per-complaint join over working intervals.
with complaints as (
    select * from int_complaints_as_of
),

rules as (
    select unnest(
        cast($sla_rules as struct(
            severity varchar, category varchar, hours double, clock varchar, rank integer
        )[]),
        recursive := true
    )
),

matched_rule as (
    select
        complaints.complaint_id,
        rules.hours,
        rules.clock,
        row_number() over (
            partition by complaints.complaint_id
            order by (rules.severity is not null)::int + (rules.category is not null)::int desc,
                rules.rank
        ) as preference
    from complaints
    inner join rules
        on (rules.severity is null or rules.severity = complaints.severity)
        and (rules.category is null or rules.category = complaints.category)
),

-- an open complaint has been open until the end of the as-of day, else of the last day with
-- complaint data (the cut of open_complaints_past_sla)
cut as (
    select coalesce(
        $as_of::date,
        (select max(greatest(opened_at, coalesce(resolved_at, opened_at)))::date from stg_complaints)
    ) + 1 as cut_day
),

with_sla as (
    select
        complaints.*,
        coalesce(matched_rule.hours, $sla_default_hours) as sla_hours,
        coalesce(matched_rule.clock, $sla_clock) as sla_clock,
        coalesce(complaints.resolved_at, cut.cut_day::timestamp) as open_until
    from complaints
    cross join cut
    left join matched_rule
        on matched_rule.complaint_id = complaints.complaint_id
        and matched_rule.preference = 1
),

calendar_exceptions as (
    select
        unnest(cast($calendar_exception_days as date[])) as day,
        unnest(cast($calendar_exception_working as boolean[])) as working
),

-- the days the clock is read on: each complaint's first and last instant
clock_days as (
    select opened_at::date as day from with_sla
    union
    select open_until::date as day from with_sla
),

day_numbers as (
    select
        day,
        -- whole days since Monday 2001-01-01 (epoch differences: portable across engines)
        ((epoch(day) - epoch(date '2001-01-01')) / 86400)::bigint as day_number
    from clock_days
),

weekday_rule as (
    select
        day,
        -- working days before this day by the weekday rule: whole weeks, then this week's
        -- weekdays before it (ISO weekday w is before the day when w <= day_number mod 7)
        floor(day_number / 7)::bigint * len(cast($calendar_workdays as integer[]))
            + len(list_filter(
                cast($calendar_workdays as integer[]),
                w -> w <= day_number - 7 * floor(day_number / 7)
            )) as rule_days_before,
        list_contains(cast($calendar_workdays as integer[]), isodow(day)) as rule_working
    from day_numbers
),

day_clock as (
    select
        weekday_rule.day,
        weekday_rule.rule_days_before + coalesce(sum(
            case
                when calendar_exceptions.day < weekday_rule.day and calendar_exceptions.working
                    then 1
                when calendar_exceptions.day < weekday_rule.day then -1
                else 0
            end
        ), 0) as working_days_before,
        coalesce(
            bool_or(calendar_exceptions.working) filter (
                where calendar_exceptions.day = weekday_rule.day
            ),
            weekday_rule.rule_working
        ) as is_working_day
    from weekday_rule
    left join calendar_exceptions
        on calendar_exceptions.day <= weekday_rule.day
    group by weekday_rule.day, weekday_rule.rule_days_before, weekday_rule.rule_working
),

working_day_seconds as (
    select list_sum(list_transform(
        cast($calendar_work_hours as struct(start_second integer, end_second integer)[]),
        span -> span.end_second - span.start_second
    )) as seconds
),

-- W(t) at both ends: the whole working days before the day, then the day's own working
-- seconds up to the time of day (the overlap of [midnight, t) with each work span)
clock_readings as (
    select
        with_sla.*,
        year(with_sla.opened_at) as first_year,
        year(greatest(with_sla.opened_at, with_sla.open_until - interval 1 microsecond))
            as last_year,
        opened_day.working_days_before * working_day_seconds.seconds
            + case when opened_day.is_working_day then list_sum(list_transform(
                cast($calendar_work_hours as struct(start_second integer, end_second integer)[]),
                span -> greatest(0, least(
                    epoch(with_sla.opened_at) - epoch(with_sla.opened_at::date), span.end_second
                ) - span.start_second)
            )) else 0 end as working_seconds_at_open,
        until_day.working_days_before * working_day_seconds.seconds
            + case when until_day.is_working_day then list_sum(list_transform(
                cast($calendar_work_hours as struct(start_second integer, end_second integer)[]),
                span -> greatest(0, least(
                    epoch(with_sla.open_until) - epoch(with_sla.open_until::date), span.end_second
                ) - span.start_second)
            )) else 0 end as working_seconds_at_until
    from with_sla
    cross join working_day_seconds
    left join day_clock as opened_day on opened_day.day = with_sla.opened_at::date
    left join day_clock as until_day on until_day.day = with_sla.open_until::date
),

-- a business clock over a year the calendar does not know would be a guess: see below
coverage as (
    select
        *,
        case
            when cast($calendar_years as integer[]) is null then null
            when not list_contains(cast($calendar_years as integer[]), first_year) then first_year
            when not list_contains(cast($calendar_years as integer[]), last_year) then last_year
            when last_year - first_year > 1 then list_min(list_filter(
                range(first_year + 1, last_year),
                y -> not list_contains(cast($calendar_years as integer[]), y)
            ))
        end as uncovered_year
    from clock_readings
),

clocked as (
    select
        complaint_id,
        customer_id,
        project,
        region,
        category,
        channel,
        severity,
        category_label,
        channel_label,
        opened_at,
        first_response_at,
        resolved_at,
        is_resolved,
        resolution_hours,
        first_response_hours,
        sla_hours,
        sla_clock,
        open_until,
        (epoch(open_until) - epoch(opened_at)) / 3600.0 as calendar_hours,
        case when uncovered_year is null then
            (working_seconds_at_until - working_seconds_at_open) / 3600.0
        end as business_hours,
        case
            when sla_clock = 'calendar' then (epoch(open_until) - epoch(opened_at)) / 3600.0
            when uncovered_year is null
                then (working_seconds_at_until - working_seconds_at_open) / 3600.0
            else error(
                'the working calendar (holidays = "CN") does not cover ' || uncovered_year
                || ': the holidays package has no State Council schedule for it; list that '
                || 'year''s days off in [calendar] extra_holidays and its make-up working days '
                || 'in extra_workdays'
            )
        end as clock_hours
    from coverage
),

final as (
    select
        *,
        is_resolved and clock_hours <= sla_hours as is_sla_met
    from clocked
)

select * from final
