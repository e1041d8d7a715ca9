"""Portal and console pages of instruments, by topic (``catalogue``, ``booking``, ``vouchers``,
``platforms``, ``utilisation``, ``console``)."""
