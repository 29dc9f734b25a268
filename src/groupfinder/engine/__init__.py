"""The engine: models, catalog, matcher, places, i18n and export.

Nothing in this package imports textual; ``tests/test_layers.py`` enforces it.
"""
