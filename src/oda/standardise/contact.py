"""Phone numbers and email addresses, in one form each so equal contacts compare equal.

Phones become digits only. UK numbers take their national form with a leading 0, whether written
``+44 (0)20 7946 0018``, ``0044 20 7946 0018``, ``44 20 7946 0018`` or ``020 7946 0018``; a ten-digit
number that lost its leading 0 in a spreadsheet gets it back. Other international numbers keep
their ``00`` prefix. Extensions (``ext 123``) are dropped. Anything else is NULL.

Emails are trimmed and lower-cased (``mailto:`` and angle brackets removed) and must look like
``name@domain.tld``; anything else is NULL.
"""

from __future__ import annotations

from oda.engine.base import Dialect
from oda.standardise.text import blank_to_null

UK_PHONE_PATTERN = "^0[1-9][0-9]{8,9}$"
"""A UK national number: 0, then nine or ten digits."""

INTERNATIONAL_PHONE_PATTERN = "^00[1-9][0-9]{6,14}$"
"""Another country's number with its international prefix (ITU E.164: at most 15 digits)."""

EMAIL_PATTERN = "^[a-z0-9!#$%&'*+/=?^_`{|}~-]+([.][a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[a-z0-9]([a-z0-9-]*[a-z0-9])?([.][a-z0-9]([a-z0-9-]*[a-z0-9])?)*[.][a-z]{2,}$"
"""The shape of an address: a local part without leading, trailing or double dots, ``@``, a domain."""

_EXTENSION = "(?i) *(ext|extn|x)[.:]? *[0-9]+ *$"


def phone_digits(dialect: Dialect, expr: str) -> str:
    """Step 1 of :func:`phone_sql`: the digits, without any extension."""
    return dialect.regexp_replace_all(dialect.regexp_replace_all(blank_to_null(expr), _EXTENSION, ""), "[^0-9]", "")


def phone_has_plus(dialect: Dialect, expr: str) -> str:
    """Step 1 of :func:`phone_sql`: whether the number starts with ``+`` (an international prefix)."""
    return dialect.regexp_matches(blank_to_null(expr), "^[+]")


def phone_national(dialect: Dialect, digits: str, plus: str) -> str:
    """Step 2 of :func:`phone_sql`: UK numbers in national form, others with ``00`` (not yet checked)."""

    def national(rest: str) -> str:
        return f"'0' || {dialect.regexp_replace_all(rest, '^0', '')}"

    return (
        f"(CASE WHEN {digits} LIKE '0044%' THEN {national(f'substr({digits}, 5)')} "
        f"WHEN {plus} AND {digits} LIKE '44%' THEN {national(f'substr({digits}, 3)')} "
        f"WHEN {digits} LIKE '44%' AND length({digits}) IN (12, 13) THEN {national(f'substr({digits}, 3)')} "
        f"WHEN {plus} THEN '00' || {digits} "
        f"WHEN length({digits}) = 10 AND {digits} NOT LIKE '0%' THEN '0' || {digits} "
        f"ELSE {digits} END)"
    )


def phone_checked(dialect: Dialect, national: str) -> str:
    """Step 3 of :func:`phone_sql`: the number if it has a UK or international shape, else NULL."""
    d = dialect
    valid = f"({d.regexp_matches(national, UK_PHONE_PATTERN)} OR {d.regexp_matches(national, INTERNATIONAL_PHONE_PATTERN)})"
    return f"(CASE WHEN {valid} THEN {national} END)"


def phone_sql(dialect: Dialect, expr: str) -> str:
    """``expr`` as a normalised phone number (see the module docstring), NULL when it is not one."""
    d = dialect
    return phone_checked(d, phone_national(d, phone_digits(d, expr), phone_has_plus(d, expr)))


def email_tidy(dialect: Dialect, expr: str) -> str:
    """Step 1 of :func:`email_sql`: trimmed, lower case, without ``mailto:`` or angle brackets."""
    text = dialect.regexp_replace_all(f"lower({blank_to_null(expr)})", "^mailto:|^<|>$", "")
    return f"trim({text})"


def email_checked(dialect: Dialect, tidy: str) -> str:
    """Step 2 of :func:`email_sql`: the address if it has an email's shape, else NULL."""
    return f"(CASE WHEN {dialect.regexp_matches(tidy, EMAIL_PATTERN)} THEN {tidy} END)"


def email_sql(dialect: Dialect, expr: str) -> str:
    """``expr`` as a trimmed, lower-case email address, NULL when it does not look like one."""
    return email_checked(dialect, email_tidy(dialect, expr))
