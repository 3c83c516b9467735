"""Admin for this part of monitoring."""
