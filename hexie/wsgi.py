"""WSGI entry point (gunicorn hexie.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hexie.settings")
application = get_wsgi_application()
