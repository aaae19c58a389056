/* ---
title = "Complaints (staging)"
title_zh = "投诉（清洗层）"
description = "One row per complaint with resolution and first-response times in calendar hours and '(none)' for a missing category or channel."
description_zh = "每条投诉一行，含处理时长与首次响应时长（自然小时）；类别或渠道为空时记为 '(none)'。"
--- */
-- Hours are calendar hours: (later - earlier) in seconds / 3600, as decimals.
with source as (
    select * from complaints
),

final as (
    select
        complaint_id,
        customer_id,
        project,
        region,
        category,
        channel,
        severity,
        coalesce(category, '(none)') as category_label,
        coalesce(channel, '(none)') as channel_label,
        opened_at,
        first_response_at,
        resolved_at,
        resolved_at is not null as is_resolved,
        (epoch(resolved_at) - epoch(opened_at)) / 3600.0 as resolution_hours,
        (epoch(first_response_at) - epoch(opened_at)) / 3600.0 as first_response_hours
    from source
)

select * from final
