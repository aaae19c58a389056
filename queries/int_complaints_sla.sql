/* ---
title = "Complaints with their SLA and clock (intermediate)"
title_zh = "投诉及其办结时限与计时方式（中间层）"
description = "One row per complaint in scope (as of the as-of day): its SLA hours and clock from the most specific [[sla.rules]] entry, how long it was open (to its resolution, else to the end of the as-of day or of the last day with complaint data) in calendar hours and - for complaints on the business clock - in business hours, the hours on its own clock, and whether it met its SLA. The only place SLA rules are matched."
description_zh = "范围内（截至指定日）的每条投诉：按最具体的 [[sla.rules]] 规则得到的办结时限与计时方式，开启时长（至办结，未办结则至截至日或数据最后一天日终）的自然小时与（按工作小时计时的投诉的）工作小时、按其计时方式的时长，以及是否按时办结。办结时限规则只在此处匹配。"
unit = "table"
params = ["projects", "regions", "as_of", "sla_default_hours", "sla_clock", "sla_rules", "calendar_weekday_mask", "calendar_work_hours", "calendar_covers_every_year", "calendar_months", "calendar_months_added", "calendar_months_removed", "calendar_months_covered"]

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
-- The business clock counts working seconds: W(t) = working seconds from an epoch up to t =
-- (working days before t's day) x (working seconds per working day) + the overlap of t's own
-- day up to t with the work spans, on a working day; an interval [a, b) has W(b) - W(a)
-- business seconds. Working days are the weekday rule corrected by the month table of the
-- [calendar] (dashboard/sla_clock/params.py): one equi-join per end, arithmetic otherwise.
--
-- The settings arrive as small tables, each built in one file from the bound settings:
-- int_sla_rules (the rules), int_work_calendar (the month table), int_work_hours (the
-- weekday rule and work spans). This file binds only the scalars [sla] default_hours and
-- clock; the other params above are those files', declared here because it reads them.
with in_scope as (
    select * from int_complaints_as_of
),

rules as (
    select * from int_sla_rules
),

month_clock as (
    select * from int_work_calendar
),

work_hours as (
    select * from int_work_hours
),

-- every complaint (the raw table, unscoped): the last day with complaint data
every_complaint as (
    select opened_at, resolved_at from complaints
),

-- the first rule (in file order) for each key of each kind: severity and category, severity
-- only, category only
rules_for_both as (
    select severity, category, min(rank) as rank
    from rules
    where severity is not null and category is not null
    group by severity, category
),

rules_for_severity as (
    select severity, min(rank) as rank
    from rules
    where severity is not null and category is null
    group by severity
),

rules_for_category as (
    select category, min(rank) as rank
    from rules
    where severity is null and category is not null
    group by category
),

-- an open complaint has been open until the end of the as-of day, else of the last day with
-- complaint data (the cut of open_complaints_past_sla)
cut as (
    select coalesce(
        $as_of::date,
        (select max(greatest(opened_at, coalesce(resolved_at, opened_at)))::date from every_complaint)
    ) + 1 as cut_day
),

matched as (
    select
        in_scope.*,
        coalesce(
            rules_for_both.rank,
            -- one attribute each: the first in the file
            case
                when rules_for_category.rank is null then rules_for_severity.rank
                when rules_for_severity.rank is null then rules_for_category.rank
                else least(rules_for_severity.rank, rules_for_category.rank)
            end
        ) as rule_rank,
        coalesce(in_scope.resolved_at, cut.cut_day::timestamp) as open_until
    from in_scope
    cross join cut
    left join rules_for_both
        on rules_for_both.severity = in_scope.severity
        and rules_for_both.category = in_scope.category
    left join rules_for_severity on rules_for_severity.severity = in_scope.severity
    left join rules_for_category on rules_for_category.category = in_scope.category
),

with_sla as (
    select
        matched.*,
        coalesce(rules.hours, $sla_default_hours) as sla_hours,
        coalesce(rules.clock, $sla_clock) as sla_clock
    from matched
    left join rules on rules.rank = matched.rule_rank
),

-- before the table: no correction; after it: all of them
calendar_bounds as (
    select
        min(month_start) as first_month,
        coalesce(sum(days_added - days_removed), 0) as correction_total,
        coalesce(sum(case when is_covered then 0 else 1 end), 0) as uncovered_total
    from month_clock
),

-- The clock is read at both ends of [opened_at, open_until): on the day of opened_at, and
-- on the day of the interval's last second (an end at midnight reads as the whole of the day
-- before: the same working seconds, and the year the interval really touches). Only
-- complaints on the business clock are read, in a narrow side relation joined back by
-- complaint_id: the calendar-clock ones never touch the calendar. Seconds of the day from
-- hour/minute/second: cheaper than epoch arithmetic, and exports carry whole seconds.
seconds_of_day as (
    select
        complaint_id,
        opened_at,
        open_until,
        hour(opened_at) * 3600 + minute(opened_at) * 60 + second(opened_at) as opened_second,
        hour(open_until) * 3600 + minute(open_until) * 60 + second(open_until) as until_second
    from with_sla
    where sla_clock = 'business'
),

business_ends as (
    select
        seconds_of_day.*,
        opened_at::date as first_day,
        opened_second as first_second,
        case
            when until_second = 0 and open_until > opened_at then open_until::date - 1
            else open_until::date
        end as last_day,
        case
            when until_second = 0 and open_until > opened_at then 86400
            else until_second
        end as last_second
    from seconds_of_day
),

day_facts as (
    select
        business_ends.*,
        -- whole days since Monday 1900-01-01 (positive, so // and % are floor and mod)
        first_day - date '1900-01-01' as first_day_number,
        last_day - date '1900-01-01' as last_day_number,
        day(first_day) - 1 as first_day_bit,
        day(last_day) - 1 as last_day_bit,
        first_month.added_days as first_added,
        first_month.removed_days as first_removed,
        coalesce(first_month.correction_before, case
            when first_day < calendar_bounds.first_month then 0
            else calendar_bounds.correction_total
        end) as first_correction_before,
        coalesce(first_month.is_covered, work_hours.covers_every_year) as first_covered,
        coalesce(first_month.uncovered_through, case
            when first_day < calendar_bounds.first_month then 0
            else calendar_bounds.uncovered_total
        end) as first_uncovered_through,
        last_month.added_days as last_added,
        last_month.removed_days as last_removed,
        coalesce(last_month.correction_before, case
            when last_day < calendar_bounds.first_month then 0
            else calendar_bounds.correction_total
        end) as last_correction_before,
        coalesce(last_month.is_covered, work_hours.covers_every_year) as last_covered,
        coalesce(last_month.uncovered_through, case
            when last_day < calendar_bounds.first_month then 0
            else calendar_bounds.uncovered_total
        end) as last_uncovered_through,
        work_hours.weekday_mask,
        work_hours.workdays_per_week
    from business_ends
    cross join calendar_bounds
    cross join work_hours
    left join month_clock as first_month
        on first_month.month_number = year(business_ends.first_day) * 12 + month(business_ends.first_day)
    left join month_clock as last_month
        on last_month.month_number = year(business_ends.last_day) * 12 + month(business_ends.last_day)
),

-- working days before each end's day: the weekday rule's (whole weeks, then the weekdays of
-- its own week before it) plus the calendar's corrections before it; and whether the day
-- itself is a working day
day_clock as (
    select
        *,
        (first_day_number // 7) * workdays_per_week
            + bit_count(weekday_mask & ((1::bigint << (first_day_number % 7)) - 1))
            + first_correction_before
            + bit_count(coalesce(first_added, 0) & ((1::bigint << first_day_bit) - 1))
            - bit_count(coalesce(first_removed, 0) & ((1::bigint << first_day_bit) - 1))
            as first_days_before,
        case
            when (coalesce(first_added, 0) >> first_day_bit) & 1 = 1 then true
            when (coalesce(first_removed, 0) >> first_day_bit) & 1 = 1 then false
            else (weekday_mask >> (first_day_number % 7)) & 1 = 1
        end as first_is_working,
        (last_day_number // 7) * workdays_per_week
            + bit_count(weekday_mask & ((1::bigint << (last_day_number % 7)) - 1))
            + last_correction_before
            + bit_count(coalesce(last_added, 0) & ((1::bigint << last_day_bit) - 1))
            - bit_count(coalesce(last_removed, 0) & ((1::bigint << last_day_bit) - 1))
            as last_days_before,
        case
            when (coalesce(last_added, 0) >> last_day_bit) & 1 = 1 then true
            when (coalesce(last_removed, 0) >> last_day_bit) & 1 = 1 then false
            else (weekday_mask >> (last_day_number % 7)) & 1 = 1
        end as last_is_working
    from day_facts
),

-- W at both ends, and the year a business clock would have to guess (the calendar does not
-- cover it)
business_clock as (
    select
        day_clock.*,
        last_days_before * work_hours.day_seconds + case when last_is_working then list_sum(list_transform(
            work_hours.work_spans,
            span -> greatest(0, least(last_second, span.end_second) - span.start_second)
        )) else 0 end
        - first_days_before * work_hours.day_seconds - case when first_is_working then list_sum(list_transform(
            work_hours.work_spans,
            span -> greatest(0, least(first_second, span.end_second) - span.start_second)
        )) else 0 end as business_seconds,
        case
            when not first_covered then year(first_day)::varchar
            when not last_covered then year(last_day)::varchar
            when last_uncovered_through > first_uncovered_through
                then 'a year between ' || year(first_day) || ' and ' || year(last_day)
        end as uncovered_year
    from day_clock
    -- the spans and seconds a day here, where they are read, not carried on every row
    cross join work_hours
),

clocked as (
    select
        with_sla.complaint_id,
        with_sla.customer_id,
        with_sla.project,
        with_sla.region,
        with_sla.category,
        with_sla.channel,
        with_sla.severity,
        with_sla.category_label,
        with_sla.channel_label,
        with_sla.opened_at,
        with_sla.first_response_at,
        with_sla.resolved_at,
        with_sla.is_resolved,
        with_sla.resolution_hours,
        with_sla.first_response_hours,
        with_sla.sla_hours,
        with_sla.sla_clock,
        with_sla.open_until,
        (epoch(with_sla.open_until) - epoch(with_sla.opened_at)) / 3600.0 as calendar_hours,
        case when business_clock.uncovered_year is null
            then business_clock.business_seconds / 3600.0
        end as business_hours,
        case
            when with_sla.sla_clock = 'calendar'
                then (epoch(with_sla.open_until) - epoch(with_sla.opened_at)) / 3600.0
            when business_clock.uncovered_year is null
                then business_clock.business_seconds / 3600.0
            else error(
                'the working calendar (holidays = "CN") does not cover '
                || business_clock.uncovered_year
                || ': the holidays package has no State Council schedule for it; list that '
                || 'year''s days off in [calendar] extra_holidays and its make-up working days '
                || 'in extra_workdays'
            )
        end as clock_hours
    from with_sla
    left join business_clock on business_clock.complaint_id = with_sla.complaint_id
),

final as (
    select
        *,
        is_resolved and clock_hours <= sla_hours as is_sla_met
    from clocked
)

select * from final
