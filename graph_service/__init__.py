"""Knowledge graph and service for responsible digital procurement."""

__version__ = "0.1.0"
