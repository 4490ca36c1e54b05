"""Address matching: messy addresses → the gazetteer's UPRNs.

* :mod:`~oda.link.address.parse` — a UK address parser (sub-building, building name and number,
  street, locality, town, postcode), with :mod:`~oda.link.address.postcode` and the word tables
  of :mod:`~oda.link.address.vocabulary`;
* :mod:`~oda.link.address.match` — :class:`AddressMatcher`: candidates
  (:mod:`~oda.link.address.candidates`), component scores with calibrated weights
  (:mod:`~oda.link.address.score`), tiers, runner-up, reasons; supplied UPRNs checked
  (:mod:`~oda.link.address.uprn_check`); analysts' decisions remembered
  (:mod:`~oda.link.address.review`);
* :mod:`~oda.link.address.stage` — the pipeline stage writing ``link.address_matches``.

>>> from oda.link.address import AddressMatcher, parse_address
"""

from oda.link.address.match import AddressMatcher
from oda.link.address.parse import ParsedAddress, parse_address

__all__ = ["AddressMatcher", "ParsedAddress", "parse_address"]
