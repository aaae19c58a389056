"""A tiny hand-checkable data set for the weekly report tests (report week 2026-W47,
Monday 2026-11-16 to Sunday 2026-11-22; the data end on Wednesday 2026-11-25)."""

from __future__ import annotations

import duckdb

FIXTURE_SQL = """
insert into customers (customer_id, customer_name, project, region, is_vip, vip_since, joined_on) values
    ('c1', '张三', 'A', 'East', true,  '2026-01-01', '2025-06-01'),
    ('c2', '李四', 'A', 'East', false, null,         '2025-06-01'),
    ('c3', '王五', 'B', 'West', true,  '2026-01-01', '2025-06-01'),
    ('c4', '赵六', 'B', 'West', false, null,         '2025-06-01'),
    ('c5', '钱七', 'A', 'East', false, null,         '2026-11-01');
insert into orders (order_id, customer_id, project, region, ordered_at) values
    -- W45 (Nov 2-8)
    ('o1', 'c1', 'A', 'East', '2026-11-03 10:00'),
    ('o2', 'c3', 'B', 'West', '2026-11-04 10:00'),
    ('o3', 'c4', 'B', 'West', '2026-11-05 10:00'),
    -- W46 (Nov 9-15)
    ('o4', 'c1', 'A', 'East', '2026-11-10 10:00'),
    ('o5', 'c2', 'A', 'East', '2026-11-11 10:00'),
    ('o6', 'c3', 'B', 'West', '2026-11-12 10:00'),
    ('o7', 'c4', 'B', 'West', '2026-11-13 10:00'),
    -- W47 (Nov 16-22): c4 is lost, c5 is new
    ('o8', 'c1', 'A', 'East', '2026-11-16 10:00'),
    ('o9', 'c2', 'A', 'East', '2026-11-17 10:00'),
    ('o10', 'c5', 'A', 'East', '2026-11-18 10:00'),
    ('o11', 'c3', 'B', 'West', '2026-11-19 10:00'),
    -- W48, partial: the last event of the data
    ('o12', 'c1', 'A', 'East', '2026-11-25 10:00');
insert into complaints (complaint_id, customer_id, project, region, category, channel, severity,
                        opened_at, first_response_at, resolved_at) values
    ('k5', 'c1', 'A', 'East', 'billing', 'hotline', 'low', '2026-11-10 09:00', '2026-11-10 10:00', '2026-11-10 19:00'),
    ('k1', 'c1', 'A', 'East', 'billing', 'hotline', 'low', '2026-11-17 09:00', '2026-11-17 10:00', '2026-11-17 21:00'),
    ('k2', 'c3', 'B', 'West', 'repair', 'online', 'high', '2026-11-18 10:00', '2026-11-18 12:00', '2026-11-20 10:00'),
    ('k3', 'c2', 'A', 'East', 'repair', 'counter', 'high', '2026-11-20 08:00', null, null),
    ('k4', 'c4', 'B', 'West', 'noise', 'online', 'low', '2026-11-22 12:00', null, null);
insert into surveys (response_id, customer_id, project, region, submitted_at, csat, nps) values
    ('s4', 'c1', 'A', 'East', '2026-11-11 12:00', 4, 9),
    ('s1', 'c1', 'A', 'East', '2026-11-17 12:00', 5, 10),
    ('s2', 'c3', 'B', 'West', '2026-11-18 12:00', 3, 6),
    ('s3', 'c2', 'A', 'East', '2026-11-19 12:00', 4, null);
insert into vip_contacts (contact_id, customer_id, contacted_at, method, staff) values
    ('v2', 'c3', '2026-10-01 10:00', 'visit', '小刘'),
    ('v1', 'c1', '2026-11-18 10:00', 'phone', '小陈');
"""


def load_fixture(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(FIXTURE_SQL)
