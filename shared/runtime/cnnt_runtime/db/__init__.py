"""Database plumbing: engines, the outbox and its relay, the inbox, the unit of work."""
