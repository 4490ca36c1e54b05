"""Independent, named random streams so that changing one component never shifts another.

Each stream is a ``numpy.random.Generator(PCG64)`` seeded from the borough seed plus a tuple of
keys (a component name, a ward number, ...). Keys are hashed with BLAKE2 rather than Python's
``hash`` so that streams are identical across processes and Python versions.

>>> a = stream(7, "council_tax", 3).integers(0, 100, 3)
>>> b = stream(7, "council_tax", 3).integers(0, 100, 3)
>>> bool((a == b).all())
True
"""

from __future__ import annotations

import hashlib

import numpy as np


def _key_words(keys: tuple[object, ...]) -> list[int]:
    digest = hashlib.blake2b("\x1f".join(map(str, keys)).encode(), digest_size=16).digest()
    return [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]


def stream(seed: int, *keys: object) -> np.random.Generator:
    """A generator for ``keys`` under ``seed``; the same inputs always give the same numbers."""
    sequence = np.random.SeedSequence([int(seed) & 0xFFFFFFFF, int(seed) >> 32, *_key_words(keys)])
    return np.random.Generator(np.random.PCG64(sequence))
