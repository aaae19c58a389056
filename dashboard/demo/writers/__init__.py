"""Write the simulated business as the messy exports real systems produce.

One writer per kind, each imitating a different source system:
- customers   客户档案.csv            CRM: UTF-8, tab-delimited, Chinese headers, 是/否
                                       (VIP/普通 for the project from an acquired system)
- orders      订单明细.csv            ERP: UTF-8 with BOM, English headers, ¥1,234.50,
                                       ISO dates with 'T' before a system migration
              订单明细_华北区.parquet  the northern region's ERP: Parquet, typed columns
- complaints  投诉台账_GBK.csv        ticketing: GB18030, title lines, CRLF, 2026/3/5 9:05
- surveys     满意度调查.xlsx          survey tool: one sheet per year, title row, date cells
- vip_contacts VIP回访记录.csv         call log: semicolon-delimited, 2026年3月5日 14:30

Each file name holds exactly one kind's name word, so the loader can tell its kind.

The writers, one module each; ``common`` holds the file names and shared helpers.
"""

from dashboard.demo.writers.common import FILE_NAMES
from dashboard.demo.writers.complaints import write_complaints
from dashboard.demo.writers.customers import write_customers
from dashboard.demo.writers.orders import write_orders
from dashboard.demo.writers.surveys import write_surveys
from dashboard.demo.writers.vip_contacts import write_vip_contacts

__all__ = [
    "FILE_NAMES",
    "write_complaints",
    "write_customers",
    "write_orders",
    "write_surveys",
    "write_vip_contacts",
]
