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
-- Built at every import of orders, so its cost is the import's: the customers in one scope
-- are grouped by an integer key and period only, flagged with one window per grain, and
-- given their one project and region after that (2M orders: ~6 s CPU -> ~3 s, #14).
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

-- each customer's (project, region) pairs, NULL counting as a value
customer_scopes as (
    select
        customer_id,
        project,
        region,
        min(ordered_at) as first_ordered_at
    from orders
    group by all
),

-- one pair over all history = in one scope: the flags below then hold for any filter.
-- customer_key numbers the customers: the periods are grouped and ordered by it (an
-- integer is cheaper to hash and sort than the id's text)
buyers as (
    select
        customer_id,
        count(*) = 1 as in_one_scope,
        min(project) as project,
        min(region) as region,
        min(first_ordered_at) as first_ordered_at,
        row_number() over (order by customer_id) as customer_key
    from customer_scopes
    group by customer_id
),

scoped_orders as (
    select
        buyers.customer_key,
        orders.ordered_at
    from orders
    inner join buyers
        on buyers.customer_id = orders.customer_id
        and buyers.in_one_scope
),

weeks as (
    select
        customer_key,
        date_trunc('week', ordered_at)::date as period_start,
        min(ordered_at)::date as first_day
    from scoped_orders
    group by all
),

months as (
    select
        customer_key,
        date_trunc('month', ordered_at)::date as period_start,
        min(ordered_at)::date as first_day
    from scoped_orders
    group by all
),

-- active in the previous period: the customer's active period before this one is the one
-- just before (a window per grain: one over both grains sorted twice the rows at once)
activity as (
    select
        'week' as grain,
        customer_key,
        period_start,
        first_day,
        coalesce(
            lag(period_start) over (partition by customer_key order by period_start)
            = period_start - 7,
            false
        ) as was_active_before
    from weeks
    union all
    select
        'month' as grain,
        customer_key,
        period_start,
        first_day,
        coalesce(
            lag(period_start) over (partition by customer_key order by period_start)
            = (period_start - interval 1 month)::date,
            false
        ) as was_active_before
    from months
),

flagged as (
    select
        activity.grain,
        buyers.project,
        buyers.region,
        activity.period_start,
        activity.first_day,
        -- the cohort (first active month) at month grain; at week grain only whether the
        -- period is the first one (fewer distinct rows to count)
        case
            when activity.grain = 'month' then date_trunc('month', buyers.first_ordered_at)::date
            when activity.period_start = date_trunc('week', buyers.first_ordered_at)::date
                then activity.period_start
        end as cohort_start,
        activity.was_active_before
    from activity
    inner join buyers
        on buyers.customer_key = activity.customer_key
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

spread_activity as (
    select
        grains.grain,
        orders.customer_id,
        orders.project,
        orders.region,
        date_trunc(grains.grain, orders.ordered_at)::date as period_start,
        min(orders.ordered_at)::date as first_day
    from orders
    cross join grains
    where orders.customer_id in (select customer_id from buyers where not in_one_scope)
    group by all
),

spread_one_by_one as (
    select
        grain,
        project,
        region,
        period_start,
        first_day,
        null::date as cohort_start,
        null::boolean as was_active_before,
        customer_id,
        1::bigint as customers
    from spread_activity
),

final as (
    select * from counted
    union all
    select * from spread_one_by_one
    -- a project or region filter then reads only the row groups of its own values
    order by grain, project, region, period_start
)

select * from final
