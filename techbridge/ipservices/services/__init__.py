"""Every write of ipservices, by topic: ``register`` (patents), ``navigation`` (industries and reports),
``warning`` (products, alerts, analysis requests), ``assistance`` (维权援助) and ``enterprises``
(indicators, designations, providers)."""
