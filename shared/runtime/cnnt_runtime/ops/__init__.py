"""Operations: dead-letter handling, history replay and the audit log for support staff.

The ``operations`` component owns the ``operations`` schema (audit log, archived dead letters)
and its own login role, like a service; it reads no service's tables — history replay asks the
producing service's ``/ops`` API, dead letters are handled on the broker directly.
"""
