"""Common code of the CNNT services: event contracts, messaging, outbox/inbox, auth, logging."""
