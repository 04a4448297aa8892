"""HTTP routes of the service."""
