"""Background jobs for this part of monitoring."""
