"""Settings for one synthetic borough, and the one table of per-source error rates.

Every rate in :data:`ERROR_PROFILES` is the probability that one record of that source carries
that kind of error. ``error_scale`` multiplies them all (0 gives clean extracts; 2 doubles the
mess), and ``overrides`` replaces single profiles, so a test or a benchmark can ask for exactly the
noise it needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace

from oda.errors import SynthError


@dataclass(frozen=True)
class ErrorProfile:
    """Per-record probabilities of each kind of error one system's records carry."""

    typo: float = 0.02
    abbreviation: float = 0.2
    punctuation: float = 0.1
    flat_variant: float = 0.3
    postcode_missing: float = 0.05
    postcode_wrong: float = 0.02
    building_name_only: float = 0.1
    locality_missing: float = 0.3
    digits_transposed: float = 0.005
    name_variant: float = 0.05
    date_variant: float = 0.0
    duplicate: float = 0.01
    uprn_present: float = 0.0

    def scaled(self, factor: float) -> "ErrorProfile":
        """The same profile with every error rate times ``factor`` (capped at 1); UPRN share kept."""
        values = {f.name: min(1.0, getattr(self, f.name) * factor) for f in fields(self) if f.name != "uprn_present"}
        return replace(self, **values)


ERROR_PROFILES: dict[str, ErrorProfile] = {
    "gazetteer": ErrorProfile(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.0),
    "council_tax": ErrorProfile(typo=0.01, abbreviation=0.15, punctuation=0.05, flat_variant=0.2,
                                postcode_missing=0.01, postcode_wrong=0.01, building_name_only=0.05,
                                locality_missing=0.4, digits_transposed=0.003, name_variant=0.04,
                                date_variant=0.0, duplicate=0.005, uprn_present=0.9),
    "electoral_register": ErrorProfile(typo=0.01, abbreviation=0.05, punctuation=0.05, flat_variant=0.15,
                                       postcode_missing=0.005, postcode_wrong=0.005, building_name_only=0.05,
                                       locality_missing=0.2, digits_transposed=0.002, name_variant=0.03,
                                       date_variant=0.0, duplicate=0.003, uprn_present=0.85),
    "housing_benefit": ErrorProfile(typo=0.03, abbreviation=0.3, punctuation=0.15, flat_variant=0.3,
                                    postcode_missing=0.03, postcode_wrong=0.02, building_name_only=0.08,
                                    locality_missing=0.5, digits_transposed=0.005, name_variant=0.08,
                                    date_variant=0.02, duplicate=0.01, uprn_present=0.6),
    "env_health_requests": ErrorProfile(typo=0.08, abbreviation=0.5, punctuation=0.3, flat_variant=0.5,
                                        postcode_missing=0.35, postcode_wrong=0.05, building_name_only=0.1,
                                        locality_missing=0.8, digits_transposed=0.02, name_variant=0.1,
                                        date_variant=0.05, duplicate=0.04, uprn_present=0.0),
    "hmo_licences": ErrorProfile(typo=0.02, abbreviation=0.1, punctuation=0.1, flat_variant=0.1,
                                 postcode_missing=0.0, postcode_wrong=0.01, building_name_only=0.05,
                                 locality_missing=0.3, digits_transposed=0.003, name_variant=0.05,
                                 date_variant=0.0, duplicate=0.01, uprn_present=0.95),
    "epc": ErrorProfile(typo=0.04, abbreviation=0.25, punctuation=0.2, flat_variant=0.5,
                        postcode_missing=0.0, postcode_wrong=0.02, building_name_only=0.15,
                        locality_missing=0.5, digits_transposed=0.01, name_variant=0.0,
                        date_variant=0.0, duplicate=0.02, uprn_present=0.7),
    "planning": ErrorProfile(typo=0.05, abbreviation=0.3, punctuation=0.2, flat_variant=0.3,
                             postcode_missing=0.15, postcode_wrong=0.03, building_name_only=0.1,
                             locality_missing=0.6, digits_transposed=0.01, name_variant=0.08,
                             date_variant=0.03, duplicate=0.02, uprn_present=0.5),
    "fire_service": ErrorProfile(typo=0.06, abbreviation=0.5, punctuation=0.3, flat_variant=0.4,
                                 postcode_missing=0.1, postcode_wrong=0.04, building_name_only=0.1,
                                 locality_missing=0.7, digits_transposed=0.015, name_variant=0.1,
                                 date_variant=0.0, duplicate=0.02, uprn_present=0.3),
    "police_asb": ErrorProfile(typo=0.1, abbreviation=0.6, punctuation=0.4, flat_variant=0.5,
                               postcode_missing=0.4, postcode_wrong=0.05, building_name_only=0.1,
                               locality_missing=0.8, digits_transposed=0.02, name_variant=0.1,
                               date_variant=0.02, duplicate=0.03, uprn_present=0.0),
    "business_rates": ErrorProfile(typo=0.02, abbreviation=0.2, punctuation=0.1, flat_variant=0.2,
                                   postcode_missing=0.01, postcode_wrong=0.01, building_name_only=0.05,
                                   locality_missing=0.3, digits_transposed=0.005, name_variant=0.05,
                                   date_variant=0.0, duplicate=0.01, uprn_present=0.5),
    "food_businesses": ErrorProfile(typo=0.04, abbreviation=0.3, punctuation=0.2, flat_variant=0.2,
                                    postcode_missing=0.02, postcode_wrong=0.02, building_name_only=0.05,
                                    locality_missing=0.5, digits_transposed=0.01, name_variant=0.05,
                                    date_variant=0.0, duplicate=0.02, uprn_present=0.0),
    "companies": ErrorProfile(typo=0.02, abbreviation=0.3, punctuation=0.2, flat_variant=0.3,
                              postcode_missing=0.01, postcode_wrong=0.02, building_name_only=0.05,
                              locality_missing=0.6, digits_transposed=0.005, name_variant=0.1,
                              date_variant=0.0, duplicate=0.005, uprn_present=0.0),
    "inspections": ErrorProfile(typo=0.03, abbreviation=0.3, punctuation=0.2, flat_variant=0.3,
                                postcode_missing=0.05, postcode_wrong=0.02, building_name_only=0.05,
                                locality_missing=0.5, digits_transposed=0.01, name_variant=0.05,
                                date_variant=0.05, duplicate=0.01, uprn_present=0.7),
}
"""The one table of error rates, per source. Rates are per record; see :class:`ErrorProfile`."""


@dataclass(frozen=True)
class SynthConfig:
    """Everything that shapes one borough. Same config and seed, same bytes on disk."""

    properties: int = 10_000
    seed: int = 0
    centre: tuple[float, float] = (51.5450, -0.0550)
    error_scale: float = 1.0
    overrides: tuple[tuple[str, ErrorProfile], ...] = ()
    hmo_prevalence: float = 0.045
    licensed_share: float = 0.15
    start_year: int = 2021
    years: int = 5
    ward_dwellings: int = 4_500
    borough: str = "Eastmere"
    town: str = "LONDON"
    profiles: dict[str, ErrorProfile] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        problems = []
        if not 100 <= self.properties <= 5_000_000:
            problems.append(f"--properties must be between 100 and 5,000,000, got {self.properties}")
        if not 0 <= self.error_scale <= 5:
            problems.append(f"--error-rate must be between 0 and 5 (1 = default noise), got {self.error_scale}")
        lat, lon = self.centre
        if not (49.8 <= lat <= 60.9 and -8.7 <= lon <= 1.8):
            problems.append(f"--centre {lat},{lon} is outside Great Britain; give LAT,LON such as 51.545,-0.055")
        if not 0.005 <= self.hmo_prevalence <= 0.2:
            problems.append(f"HMO prevalence must be between 0.005 and 0.2, got {self.hmo_prevalence}")
        if not 0 <= self.licensed_share <= 1:
            problems.append(f"licensed share must be between 0 and 1, got {self.licensed_share}")
        if self.years < 3:
            problems.append(f"the window must cover at least 3 years, got {self.years}")
        unknown = [name for name, _ in self.overrides if name not in ERROR_PROFILES]
        if unknown:
            problems.append(f"no source called {', '.join(unknown)}; error profiles exist for "
                            f"{', '.join(sorted(ERROR_PROFILES))}")
        if problems:
            raise SynthError("; ".join(problems))
        merged = {name: profile.scaled(self.error_scale) for name, profile in ERROR_PROFILES.items()}
        merged.update(dict(self.overrides))
        object.__setattr__(self, "profiles", merged)

    @property
    def window_start(self) -> dt.date:
        return dt.date(self.start_year, 1, 1)

    @property
    def window_end(self) -> dt.date:
        return dt.date(self.start_year + self.years - 1, 12, 31)

    @property
    def window_days(self) -> int:
        return (self.window_end - self.window_start).days + 1

    def profile(self, source: str) -> ErrorProfile:
        return self.profiles[source]
