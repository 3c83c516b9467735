"""Django's admin app with Hexie's site (``admin_scoping.HexieAdminSite``), named in INSTALLED_APPS
in place of ``django.contrib.admin``: administrators of a district use it within their jurisdiction."""

from django.contrib.admin.apps import AdminConfig


class HexieAdminConfig(AdminConfig):
    default_site = "hexie.orgs.admin_scoping.HexieAdminSite"
