"""``make bench``: the system on a synthetic national cycle against the raw floor of its design
(RabbitMQ + PostgreSQL), measured side by side in one run. Run as ``python -m tests.bench``.

No module here is named ``test_*``: pytest never collects the benchmark, and no test is timed.
"""
