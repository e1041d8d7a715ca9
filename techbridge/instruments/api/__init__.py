"""REST API of instruments, by topic: ``catalogue``, ``booking``, ``vouchers``, ``platforms``."""
