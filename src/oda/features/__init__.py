"""Features: one row per property (``feat.property``), from every linked source, as of a date.

Families of features are declared in :mod:`oda.features.registry` and live one per module in
:mod:`oda.features.families`; :func:`oda.features.build.build_features` puts them together.
"""
