"""The built-in feature families, one small module each. Importing this package registers them."""

from oda.features.families import (  # noqa: F401 - each import registers a family
    benefits,
    complaints,
    council_tax,
    electoral,
    epc,
    incidents,
    licensing,
    neighbourhood,
    planning,
    property,
)
