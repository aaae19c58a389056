/* ---
title = "Survey responses (staging)"
title_zh = "满意度问卷（清洗层）"
description = "One row per survey response with flags: satisfied (csat >= 4), NPS promoter (9-10) and detractor (0-6)."
description_zh = "每份问卷一行，含标记：满意（csat >= 4）、推荐者（9-10 分）、贬损者（0-6 分）。"
--- */
with source as (
    select * from surveys
),

final as (
    select
        response_id,
        customer_id,
        project,
        region,
        submitted_at,
        csat,
        nps,
        csat >= 4 as is_satisfied,
        nps >= 9 as is_promoter,  -- NULL when there is no NPS answer
        nps <= 6 as is_detractor
    from source
)

select * from final
