"""The kernel's own records: idempotency keys of create requests, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IdempotencyRecord(models.Model):
    """The first answer to a create request carrying an Idempotency-Key; a retry gets it back."""

    scope = models.CharField(max_length=64, verbose_name=_("范围"))
    key = models.CharField(max_length=128, verbose_name=_("幂等键"))
    request_hash = models.CharField(max_length=64, verbose_name=_("请求摘要"))
    response_status = models.PositiveSmallIntegerField(verbose_name=_("响应状态码"))
    response_body = models.JSONField(verbose_name=_("响应内容"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = pgettext_lazy("plural", "幂等记录")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="uniq_idempotency_key")]


class AuditEvent(models.Model):
    """One change outside a case file: registry, monitoring, documents, configuration, admin edits.

    The case timeline stays the case's own file; everything else that changes is written here by
    ``hexie.core.audit.record``, in the same transaction as the change. Personal data never goes
    in: a change names the fields that changed, not their values. ``org_unit`` is the jurisdiction
    the changed row belongs to (or the actor's, for city-wide configuration), so that leaders read
    the entries of their own jurisdiction.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        IMPORT = "import", _("导入")
        RUN = "run", _("运行")
        GENERATE = "generate", _("生成")
        LOCKED_OUT = "locked_out", _("登录锁定")

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=64, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("所属单位"),
    )
    message = models.TextField(_("说明"), blank=True)
    fields = models.JSONField(_("修改的字段"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("操作日志")
        verbose_name_plural = pgettext_lazy("plural", "操作日志")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"
