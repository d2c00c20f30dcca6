"""What every CNNT service runs on: settings, database, messaging, HTTP, auth, logging, tracing,
operations, and the ``cnnt-service`` launcher. The event contracts are ``cnnt_contracts``."""
