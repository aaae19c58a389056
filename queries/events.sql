/* ---
title = "Events on the timeline"
title_zh = "时间线事件"
description = "The events drawn on the time charts (Data page or kpi ingest --kind events): one day or a range of days, for every project or only some. An event overlaps the date range when it ends on or after the from date and starts on or before the to date; it matches the filters when it names no project (no region) or one of the chosen ones."
description_zh = "显示在时间图上的事件（数据管理页或 kpi ingest --kind events 导入）：某一天或一段时间，适用于全部或部分项目。事件在其结束日不早于起始日期、开始日不晚于截止日期时计入日期范围；未指定项目（区域）或包含所选项目（区域）之一时符合筛选。"
unit = "table"
params = ["date_from", "date_to", "projects", "regions"]
engines = ["duckdb"]

[units]
days = "days"

[labels]
event_id = "No."
starts_on = "First day"
ends_on = "Last day"
days = "Days"
title = "Title"
title_zh = "Chinese title"
projects = "Projects"
regions = "Regions"
created_at = "Added at"
created_by = "Added by"

[labels_zh]
event_id = "编号"
starts_on = "开始日期"
ends_on = "结束日期"
days = "天数"
title = "标题"
title_zh = "中文标题"
projects = "项目"
regions = "区域"
created_at = "添加时间"
created_by = "添加人"

[chart]
mark = "table"
--- */
with events as (
    select
        event_id,
        starts_on,
        ends_on,
        coalesce(ends_on, starts_on) as last_day,
        title,
        title_zh,
        projects,
        regions,
        created_at,
        created_by
    from events
),

final as (
    select
        event_id,
        starts_on,
        ends_on,
        date_diff('day', starts_on, last_day) + 1 as days,
        title,
        title_zh,
        array_to_string(projects, ', ') as projects,
        array_to_string(regions, ', ') as regions,
        created_at,
        created_by
    from events
    where ($date_from is null or last_day >= $date_from)
      and ($date_to is null or starts_on <= $date_to)
      -- an event naming no project applies to every project (likewise regions)
      and (len(projects) = 0 or len($projects) = 0 or len(list_intersect(projects, $projects)) > 0)
      and (len(regions) = 0 or len($regions) = 0 or len(list_intersect(regions, $regions)) > 0)
    order by starts_on, event_id
)

select * from final
