"""Notifications (issue #16, shared/spec/notify.md): the week and alerts pushed to DingTalk,
Feishu, WeCom, webhooks and e-mail.

Modules, one job each: ``config`` ([notify] settings), ``schedule`` (when a rule is due),
``scope`` (a rule's projects/regions), ``rules`` (what a rule says, from ``kpis.compute``
and the weekly report), ``messages`` + ``words`` (the text in zh/en, fitted to each robot's
size limit), ``channels`` (sending, signing, reading the answer), ``log`` (the delivery log
table), ``run`` (one evaluation: due rules -> at most one delivery per rule, period and
channel), ``ui`` (the delivery log on the Data page).
"""
