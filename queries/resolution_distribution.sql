/* ---
title = "Resolution time distribution"
title_zh = "投诉处理时长分布"
description = "Resolved complaints opened in the date range, by resolution time bucket (upper bounds inclusive: up to 4 h, 4-8 h, 8-24 h, 24-48 h, 48-72 h, 3-7 days, over 7 days)."
description_zh = "日期范围内受理且已办结的投诉，按处理时长分段统计（上限含端点：4 小时内、4-8 小时、8-24 小时、24-48 小时、48-72 小时、3-7 天、7 天以上）。"
unit = "count"
params = ["date_from", "date_to", "projects", "regions"]

[chart]
mark = "bar"
x = "bucket"
y = "complaints"
--- */
-- Buckets include their upper bound so that "8-24h" holds exactly the complaints that met a
-- 24-hour SLA after 8 hours. Every bucket is printed, also with 0 complaints.
with resolved as (
    select resolution_hours
    from stg_complaints
    where is_resolved
      and (len($projects) = 0 or list_contains($projects, project))
      and (len($regions) = 0 or list_contains($regions, region))
      and ($date_from is null or opened_at >= $date_from)
      and ($date_to is null or opened_at < $date_to::date + 1)
),

buckets as (
    select * from (values
        ('<4h', 1, 0.0, 4.0),
        ('4-8h', 2, 4.0, 8.0),
        ('8-24h', 3, 8.0, 24.0),
        ('24-48h', 4, 24.0, 48.0),
        ('48-72h', 5, 48.0, 72.0),
        ('3-7d', 6, 72.0, 168.0),
        ('>7d', 7, 168.0, null)
    ) as b (bucket, bucket_order, above_hours, up_to_hours)
),

final as (
    select
        buckets.bucket,
        buckets.bucket_order,
        count(resolved.resolution_hours) as complaints
    from buckets
    left join resolved
        on (resolved.resolution_hours > buckets.above_hours or (buckets.bucket_order = 1))
        and (buckets.up_to_hours is null or resolved.resolution_hours <= buckets.up_to_hours)
    group by all
    order by buckets.bucket_order
)

select * from final
