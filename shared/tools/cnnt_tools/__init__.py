"""The platform's tools: the ``cnnt`` command line, the demo programme and reports. They talk to
the services over HTTP and to the database and broker through ``cnnt_runtime``; no service
imports them (the console reads the report figures and the demo accounts from here)."""
