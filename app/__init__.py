"""Berichtenservice: iWmo 3.2 / iJw 3.2 message exchange for municipal care purchasing."""

__version__ = "0.1.0"
