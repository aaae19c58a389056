/* ---
title = "Customer activity, counted (intermediate, stored)"
title_zh = "客户活跃情况计数（中间层，预存）"
description = "Customers' active periods at both grains, stored at every import. Customers who order in one project and region only are counted together: one row per grain, project, region, period, day of the first order in the period, first active month (cohort; at week grain only on the first period) and whether they were active in the previous period, with the number of such customers. Customers who order in several projects or regions have one row each per grain, project, region and period (customer_id set, customers = 1): whether they count as retained or new depends on the filter, so the retention counts work it out per call. Retention, cohorts and the leaky bucket read their activity from here."
description_zh = "两种周期粒度下客户的活跃期，每次导入时预存。只在一个项目与区域下单的客户合并计数：每个粒度、项目、区域、期间、期内首单日、首个活跃月（队列；周粒度仅在首期填写）及上期是否活跃各一行，附客户数。在多个项目或区域下单的客户每个粒度、项目、区域与期间各一行（customer_id 有值，客户数为 1）：其是否算留存或新增取决于筛选，由留存计数按次计算。客户保留率、留存队列与客户漏桶都从这里读取活跃情况。"
unit = "table"
materialize = true

[units]
customers = "count"

[labels]
grain = "Grain"
project = "Project"
region = "Region"
period_start = "Period start"
first_day = "First order day in the period"
cohort_start = "First active period (cohort)"
was_active_before = "Active in the previous period"
customer_id = "Customer (several projects or regions)"
customers = "Customers"

[labels_zh]
grain = "周期粒度"
project = "项目"
region = "区域"
period_start = "周期起始日"
first_day = "期内首单日"
cohort_start = "首个活跃期"
was_active_before = "上期是否活跃"
customer_id = "客户（多项目或区域）"
customers = "客户数"

[chart]
mark = "table"
--- */
-- Why stored and counted: retention and cohorts need every customer's active periods over
-- all history; at 2M orders that is ~1.8M customer-weeks, too many to scan per filter
-- change. A customer whose orders all lie in one (project, region) is either wholly inside a
-- project/region filter or wholly outside it, so their flags (previous period active, first
-- period) do not depend on the filter and can be counted once here; the as-of cut keeps the
-- rows whose first order in the period is on or before the as-of day (the period's other
-- flags look only at earlier periods). Only the few customers spread over several projects
-- or regions are kept one by one and flagged per call (int_retention_counts).
with orders as (
    select
        customer_id,
        project,
        region,
        ordered_at
    from stg_orders
),

grains as (
    select grain from (values ('week'), ('month')) as grains (grain)
),

-- one (project, region) over all history (NULL counts as a value): the flags below then
-- hold for any filter
customers as (
    select
        customer_id,
        min(ordered_at) as first_ordered_at,
        (count(project) = 0 or (count(project) = count(*) and min(project) = max(project)))
        and (count(region) = 0 or (count(region) = count(*) and min(region) = max(region)))
            as in_one_scope
    from orders
    group by all
),

activity as (
    select
        grains.grain,
        orders.customer_id,
        orders.project,
        orders.region,
        date_trunc(grains.grain, orders.ordered_at)::date as period_start,
        min(orders.ordered_at)::date as first_day
    from orders
    cross join grains
    group by all
),

flagged as (
    select
        activity.grain,
        activity.project,
        activity.region,
        activity.period_start,
        activity.first_day,
        -- the cohort (first active month) at month grain; at week grain only whether the
        -- period is the first one (fewer distinct rows to count)
        case
            when activity.grain = 'month' then date_trunc('month', customers.first_ordered_at)::date
            when activity.period_start = date_trunc('week', customers.first_ordered_at)::date
                then activity.period_start
        end as cohort_start,
        coalesce(
            lag(activity.period_start) over (
                partition by activity.grain, activity.customer_id order by activity.period_start
            ) = case
                when activity.grain = 'week' then activity.period_start - 7
                else (activity.period_start - interval 1 month)::date
            end,
            false
        ) as was_active_before
    from activity
    inner join customers
        on customers.customer_id = activity.customer_id
        and customers.in_one_scope
),

counted as (
    select
        grain,
        project,
        region,
        period_start,
        first_day,
        cohort_start,
        was_active_before,
        null::varchar as customer_id,
        count(*) as customers
    from flagged
    group by all
),

spread_one_by_one as (
    select
        activity.grain,
        activity.project,
        activity.region,
        activity.period_start,
        activity.first_day,
        null::date as cohort_start,
        null::boolean as was_active_before,
        activity.customer_id,
        1::bigint as customers
    from activity
    inner join customers
        on customers.customer_id = activity.customer_id
        and not customers.in_one_scope
),

final as (
    select * from counted
    union all
    select * from spread_one_by_one
    -- a project or region filter then reads only the row groups of its own values
    order by grain, project, region, period_start
)

select * from final
