/* ---
title = "Open complaints past their SLA"
title_zh = "超时未办结投诉"
description = "Complaints still open at the end of the as-of day (default: the last day with complaint data) that have been open longer than their SLA hours; oldest first."
description_zh = "截至指定日期（默认：投诉数据的最后一天）日终仍未办结、且已开启时长超过办结时限的投诉，按时长从长到短排列。"
unit = "table"
params = ["projects", "regions", "as_of", "sla_default_hours", "sla_rules"]

[units]
hours_open = "hours"
sla_hours = "hours"

[chart]
mark = "table"
--- */
-- "Open" uses the backlog rule of the complaints KPI: opened before the cut and not resolved
-- before it. The cut is the end of the as-of day (midnight after it), so a weekly report
-- as of Sunday sees the complaints still open when the week closed.
-- SLA hours: the most specific [[sla.rules]] entry that matches (severity and category >
-- one of them; the first in the file on a tie), else [sla] default_hours.
with complaints as (
    select complaint_id, project, region, category, severity, opened_at, resolved_at
    from stg_complaints
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
),

rules as (
    select unnest(
        cast($sla_rules as struct(severity varchar, category varchar, hours double, rank integer)[]),
        recursive := true
    )
),

cut as (
    select coalesce(
        $as_of::date,
        (select max(greatest(opened_at, coalesce(resolved_at, opened_at)))::date from stg_complaints)
    ) + interval 1 day as cut_at
),

open_at_cut as (
    select complaints.*, cut.cut_at
    from complaints
    cross join cut
    where complaints.opened_at < cut.cut_at
      and (complaints.resolved_at is null or complaints.resolved_at >= cut.cut_at)
),

matched_rule as (
    select
        open_at_cut.complaint_id,
        rules.hours,
        row_number() over (
            partition by open_at_cut.complaint_id
            order by (rules.severity is not null)::int + (rules.category is not null)::int desc,
                rules.rank
        ) as preference
    from open_at_cut
    inner join rules
        on (rules.severity is null or rules.severity = open_at_cut.severity)
        and (rules.category is null or rules.category = open_at_cut.category)
),

final as (
    select
        open_at_cut.complaint_id,
        open_at_cut.project,
        open_at_cut.region,
        open_at_cut.category,
        open_at_cut.severity,
        open_at_cut.opened_at,
        (epoch(open_at_cut.cut_at) - epoch(open_at_cut.opened_at)) / 3600.0 as hours_open,
        coalesce(matched_rule.hours, $sla_default_hours) as sla_hours
    from open_at_cut
    left join matched_rule
        on matched_rule.complaint_id = open_at_cut.complaint_id
        and matched_rule.preference = 1
    where (epoch(open_at_cut.cut_at) - epoch(open_at_cut.opened_at)) / 3600.0
        > coalesce(matched_rule.hours, $sla_default_hours)
    order by hours_open desc, open_at_cut.complaint_id
)

select * from final
