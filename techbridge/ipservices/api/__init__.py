"""REST API of ipservices (``/api/v1/ipservices/…``), by topic: ``register`` (patents, industries,
navigation reports, providers, IP-intensive enterprises), ``warning`` (products, alerts,
opportunities, analysis requests) and ``assistance`` (assistance requests, evidence, statistics)."""

TAG = "ipservices"
