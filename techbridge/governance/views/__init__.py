"""Pages of governance: ``portal`` (public summary, policies, a university's own evaluation) and
``console`` (officials, staff and operators)."""
