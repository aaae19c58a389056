/* ---
title = "Data quality"
title_zh = "数据质量"
description = "Per kind of data: rows, rows pointing at a customer the customers export does not have, and rows with project or region '(unassigned)'."
description_zh = "每类数据的行数、指向客户表中不存在的客户的行数，以及项目或区域为 '(unassigned)'（未分配）的行数。"
unit = "table"

[chart]
mark = "table"

[labels]
kind = "Data"
rows = "Rows"
unknown_customer_rows = "Rows with unknown customer"
unassigned_rows = "Rows with (unassigned) project/region"

[labels_zh]
kind = "数据类型"
rows = "行数"
unknown_customer_rows = "客户不存在的行"
unassigned_rows = "项目/区域为(unassigned)的行"
--- */
-- Anonymous rows (no customer_id) are not "unknown customers". VIP contacts carry no
-- project/region of their own, so their unassigned count is that of the contacted customer.
with known as (
    select customer_id from customers
),

checks as (
    select
        'customers' as kind,
        false as unknown_customer,
        project = '(unassigned)' or region = '(unassigned)' as unassigned
    from customers
    union all
    select
        'orders',
        customer_id not in (select customer_id from known),
        project = '(unassigned)' or region = '(unassigned)'
    from orders
    union all
    select
        'complaints',
        customer_id is not null and customer_id not in (select customer_id from known),
        project = '(unassigned)' or region = '(unassigned)'
    from complaints
    union all
    select
        'surveys',
        customer_id is not null and customer_id not in (select customer_id from known),
        project = '(unassigned)' or region = '(unassigned)'
    from surveys
    union all
    select
        'vip_contacts',
        project is null,
        coalesce(project = '(unassigned)' or region = '(unassigned)', false)
    from stg_vip_contacts
),

kinds as (
    select * from (values
        ('customers', 1), ('orders', 2), ('complaints', 3), ('surveys', 4), ('vip_contacts', 5)
    ) as k (kind, kind_order)
),

final as (
    select
        kinds.kind,
        count(checks.kind) as rows,
        count(*) filter (where checks.unknown_customer) as unknown_customer_rows,
        count(*) filter (where checks.unassigned) as unassigned_rows
    from kinds
    left join checks on checks.kind = kinds.kind
    group by kinds.kind, kinds.kind_order
    order by kinds.kind_order
)

select * from final
