from hexie.monitoring import admin_imports, admin_warnings  # noqa: F401  (registers their models)
