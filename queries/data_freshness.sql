/* ---
title = "Data freshness"
title_zh = "数据新鲜度"
description = "Per kind of data: rows loaded, first and last event time (customers: joined_on), and the last successful import (empty when none)."
description_zh = "每类数据的已加载行数、最早与最晚事件时间（客户：注册日期），以及最近一次成功导入时间（无则为空）。"
unit = "table"

[chart]
mark = "table"

[labels]
kind = "Data"
rows = "Rows"
first_event_at = "First event"
last_event_at = "Last event"
last_import_at = "Last import"

[labels_zh]
kind = "数据类型"
rows = "行数"
first_event_at = "最早事件"
last_event_at = "最近事件"
last_import_at = "最近导入"
--- */
with events as (
    select 'customers' as kind, count(*) as rows, min(joined_on)::timestamp as first_event_at,
        max(joined_on)::timestamp as last_event_at
    from customers
    union all
    select 'orders', count(*), min(ordered_at), max(ordered_at) from orders
    union all
    select 'complaints', count(*), min(opened_at), max(opened_at) from complaints
    union all
    select 'surveys', count(*), min(submitted_at), max(submitted_at) from surveys
    union all
    select 'vip_contacts', count(*), min(contacted_at), max(contacted_at) from vip_contacts
),

imports as (
    select kind, max(imported_at) as last_import_at
    from import_log
    where status = 'loaded'
    group by kind
),

final as (
    select
        events.kind,
        events.rows,
        events.first_event_at,
        events.last_event_at,
        imports.last_import_at
    from events
    left join imports on imports.kind = events.kind
    order by list_position(
        ['customers', 'orders', 'complaints', 'surveys', 'vip_contacts'], events.kind
    )
)

select * from final
