/* ---
title = "Projects and regions"
title_zh = "项目与区域"
description = "Every region and project pair seen in customers, orders, complaints or surveys, with its row count (for filter lists)."
description_zh = "客户、订单、投诉与问卷中出现过的每个区域与项目组合及其行数（用于筛选列表）。"
unit = "table"

[chart]
mark = "table"

[labels]
region = "Region"
project = "Project"
rows = "Rows"

[labels_zh]
region = "区域"
project = "项目"
rows = "行数"
--- */
with pairs as (
    select region, project from customers
    union all
    select region, project from orders
    union all
    select region, project from complaints
    union all
    select region, project from surveys
),

final as (
    select region, project, count(*) as rows
    from pairs
    group by all
    order by region, project
)

select * from final
