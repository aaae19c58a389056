/* ---
title = "Complaints in scope, as of a day (intermediate)"
title_zh = "范围内截至某日的投诉（中间层）"
description = "One row per complaint in the project/region scope as the dashboard would have seen it at the end of the as-of day: complaints opened later are left out, and a resolution or first response after that day has not happened yet (empty). Without an as-of day, every complaint as it is."
description_zh = "项目/区域范围内的每条投诉，按截至日日终时的样子：之后受理的投诉不计；之后的办结或首次响应视为尚未发生（为空）。未指定截至日时即全部投诉的当前状态。"
unit = "table"
params = ["projects", "regions", "as_of"]

[units]
resolution_hours = "hours"
first_response_hours = "hours"

[chart]
mark = "table"
--- */
-- The point in time of shared/spec/kpis.md: with $as_of = D nothing after D (after
-- 23:59:59 of D) has happened yet. Every complaint query reads complaints through here.
with complaints as (
    select *
    from stg_complaints
    where (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($as_of is null or opened_at < $as_of::date + 1)
),

as_of_day as (
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
        case
            when $as_of is null or first_response_at < $as_of::date + 1 then first_response_at
        end as first_response_at,
        case when $as_of is null or resolved_at < $as_of::date + 1 then resolved_at end
            as resolved_at
    from complaints
),

final as (
    select
        *,
        resolved_at is not null as is_resolved,
        (epoch(resolved_at) - epoch(opened_at)) / 3600.0 as resolution_hours,
        (epoch(first_response_at) - epoch(opened_at)) / 3600.0 as first_response_hours
    from as_of_day
)

select * from final
