"""A tax code (mã số thuế: 10 digits) derived from a label naming the test and the record, so a
test's facilities have the same codes every run and two tests never share one."""

from __future__ import annotations

from hashlib import sha256


def tax_code(label: str) -> str:
    return f"{int(sha256(label.encode()).hexdigest(), 16) % 10**10:010d}"
