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
-- The pairs and their counts are stored at every import (int_dimension_pairs).
with pairs as (
    select region, project, rows from int_dimension_pairs
),

final as (
    select region, project, rows
    from pairs
    order by region, project
)

select * from final
