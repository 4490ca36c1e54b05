"""The synthetic borough: a gazetteer, every partner's extract, and the hidden truth behind them.

``oda synth --properties N --seed S --out DIR`` (or :func:`generate_borough`) writes a borough of N
dwellings with its shops and offices, the extracts each council system and partner would send
(their own ids, headers, formats, encodings, typing habits and errors), a data dictionary, a
ready-to-run ``oda.toml`` for the HMO use case, and ``truth/``, which the pipeline never reads.
"""

from oda.synth.borough import generate, generate_borough
from oda.synth.config import ERROR_PROFILES, ErrorProfile, SynthConfig
from oda.synth.summary import SynthSummary

__all__ = ["ERROR_PROFILES", "ErrorProfile", "SynthConfig", "SynthSummary", "generate", "generate_borough"]
