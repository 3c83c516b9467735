"""The accounts employers log in with: issued by the bureau, tied to one employer's credit code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.core.pii import EncryptedTextField


class EmployerAccount(models.Model):
    """An employer's log-in: a user with the employer role, bound to one employer, with the phone
    that receives the SMS code of each log-in (encrypted, shown masked)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_account")
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="portal_accounts",
                                 verbose_name=_("用人单位"))
    phone = EncryptedTextField(_("接收验证码的手机"))
    phone_last4 = models.CharField(max_length=4, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("开通人"))
    issued_at = models.DateTimeField(_("开通时间"))

    class Meta:
        verbose_name = _("用人单位账号")
        verbose_name_plural = _("用人单位账号")

    def __str__(self) -> str:
        return self.user.get_username()


class LoginCode(models.Model):
    """A one-time SMS code of an employer's log-in: only its hash is kept; it expires and counts tries."""

    account = models.ForeignKey(EmployerAccount, on_delete=models.CASCADE, related_name="login_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
