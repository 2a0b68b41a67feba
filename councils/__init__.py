"""The integration-council survey as data: codebook, rounds, validation, tables, charts, book runs."""

__version__ = "0.1.0"
