"""Password log-in: staff on the staff page, the admin and the token endpoint; an employer account
only on the employer's own page, which asks for an SMS code as well (hexie.prevention)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from hexie.orgs.models import Role, User


class HexieBackend(ModelBackend):
    """Django's model backend, keeping each kind of account to its own door."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     employer_login: bool = False, **kwargs: Any) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        # A password alone never opens an employer's account (it needs the SMS code), and the
        # employer's page never logs staff in.
        if (getattr(user, "role", None) == Role.EMPLOYER) != employer_login:
            return None
        return user

    def get_user(self, user_id: Any) -> Any:
        """The session's user, with their unit and partner agency read in the same statement: every
        staff page reads the unit (the jurisdiction, the frame), which was a statement of its own."""
        try:
            user = User._default_manager.select_related("org_unit", "agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
