"""Parsers of other tools' export formats, one module a source (Devpost first)."""
