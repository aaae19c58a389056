"""Access words, in English and Chinese (#15): sign-in (password and single sign-on), roles,
scopes, the local mode's warnings and the audit log. Part of the one catalogue
(``dashboard.present.i18n``), under their bare keys."""

from __future__ import annotations

# key -> (English, 中文)
ACCESS: dict[str, tuple[str, str]] = {
    # sign-in
    "signin_title": ("Sign in", "登录"),
    "signin_intro": (
        "This dashboard is for signed-in users. Ask an administrator for an account.",
        "本看板仅供登录用户使用。如需账号，请联系管理员。",
    ),
    "signin_name": ("User name", "用户名"),
    "signin_password": ("Password", "密码"),
    "signin_submit": ("Sign in", "登录"),
    "signin_wrong": ("Wrong user name or password.", "用户名或密码错误。"),
    "signin_locked": (
        "Too many failed sign-ins for this name. Try again in {minutes} minutes.",
        "该用户名登录失败次数过多，请 {minutes} 分钟后再试。",
    ),
    "signin_expired": ("Your session expired. Please sign in again.", "会话已过期，请重新登录。"),
    "signin_oidc_title": ("Sign in with your company account", "使用公司账号登录"),
    "signin_oidc_button": ("Sign in", "登录"),
    "signin_oidc_unknown": (
        "{identity} is signed in with the company account but is not a user of this "
        "dashboard. Ask an administrator to add you (kpi users add ... --email).",
        "{identity} 已通过公司账号登录，但不是本看板的用户。请联系管理员添加（kpi users add ... --email）。",
    ),
    "signin_oidc_missing": (
        "Single sign-on is not configured: add an [auth] section to .streamlit/secrets.toml "
        "(see docs/OPERATIONS.md).",
        "单点登录尚未配置：请在 .streamlit/secrets.toml 中添加 [auth] 部分（见 docs/OPERATIONS.md）。",
    ),
    "signin_no_users": (
        "No user can sign in yet: add one on the server with `kpi users add NAME --role admin "
        "--password-stdin`.",
        "尚无可登录的用户：请在服务器上运行 `kpi users add NAME --role admin --password-stdin` 添加。",
    ),
    "users_file_error": ("The users file cannot be read: {message}", "无法读取用户文件：{message}"),
    "signed_in_as": ("Signed in as **{name}** ({role})", "已登录：**{name}**（{role}）"),
    "sign_out": ("Sign out", "退出登录"),
    # roles and scopes
    "role_executive": ("executive", "管理层"),
    "role_department_head": ("department head", "部门负责人"),
    "role_analyst": ("analyst", "分析师"),
    "role_admin": ("administrator", "管理员"),
    "scope_caption": ("You see: {scope}", "可见范围：{scope}"),
    "page_refused": (
        "This page is not available to your role ({role}).",
        "您的角色（{role}）无权访问此页面。",
    ),
    "scope_refused": (
        "Not shown: {kind} '{value}' is outside your scope ({scope}).",
        "未显示：{kind}“{value}”不在您的可见范围内（{scope}）。",
    ),
    "scope_kind_project": ("project", "项目"),
    "scope_kind_region": ("region", "区域"),
    # single-user local mode
    "local_mode": (
        "Single-user local mode: no sign-in, everyone who reaches this address sees everything.",
        "单用户本地模式：无需登录，能访问此地址的人都能看到全部数据。",
    ),
    "local_mode_exposed": (
        'This dashboard is reachable at {host} without sign-in ([access] mode = "none"). '
        "Set mode to password or oidc before sharing it (docs/OPERATIONS.md).",
        '本看板可通过 {host} 访问且无需登录（[access] mode = "none"）。共享前请将 mode 设为 '
        "password 或 oidc（见 docs/OPERATIONS.md）。",
    ),
    "local_mode_every_interface": (
        "every network interface of this computer (add --server.address 127.0.0.1 to keep it local)",
        "本机的所有网络接口（加上 --server.address 127.0.0.1 可仅限本机访问）",
    ),
    # audit log
    "audit_intro": (
        "Sign-ins and failures, uploads, SQL lab statements and report downloads, newest first.",
        "登录与登录失败、上传、SQL 实验室语句和报告下载记录，按时间倒序。",
    ),
    "audit_empty": ("Nothing recorded yet.", "暂无记录。"),
    "audit_event": ("Event", "事件"),
    "audit_user": ("User", "用户"),
    "audit_at": ("When (UTC)", "时间（UTC）"),
    "audit_detail": ("Detail", "详情"),
    "audit_source": ("Source", "来源"),
    "audit_all": ("All", "全部"),
}
