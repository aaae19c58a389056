"""Roles and what each may do. One table, read by the navigation, the page guard and the
commands, so a page hidden from a role is also refused when opened by URL."""

from __future__ import annotations

ROLES = ("executive", "department_head", "analyst", "admin")

# Capabilities beyond the KPI pages every role sees (Overview .. Projects).
ANALYST_PAGE = "analyst_page"  # the Analyst page (query files)
SQL_LAB = "sql_lab"
UPLOADS = "uploads"  # the Data page: uploads, import history, rejected rows
EVENTS = "events"  # the notification events / rules (#16)
USERS = "users"  # user management and the audit log
TIMELINE = "timeline"  # add, change and delete the events drawn on the charts (#12)

CAPABILITIES: dict[str, frozenset[str]] = {
    "executive": frozenset(),
    "department_head": frozenset(),
    "analyst": frozenset({ANALYST_PAGE, SQL_LAB, TIMELINE}),
    "admin": frozenset({ANALYST_PAGE, SQL_LAB, UPLOADS, EVENTS, USERS, TIMELINE}),
}

# Only department heads are limited to their projects/regions; the others see everything.
SCOPED_ROLES = frozenset({"department_head"})

ROLE_HELP = {
    "executive": "every project; the KPI pages (no SQL lab, no uploads)",
    "department_head": "only their projects and/or regions (needs --project or --region)",
    "analyst": "every project; also the Analyst page, the SQL lab and the timeline events",
    "admin": "everything: also uploads, notification events, users and the audit log",
}


def can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())
