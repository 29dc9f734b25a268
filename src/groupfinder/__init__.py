"""groupfinder: find the kind of group that helps you heal, and a real group near you."""

__version__ = "0.1.0"
