"""Every write of instruments, by topic: ``catalogue`` (instruments, fees, training, maintenance),
``booking`` (the calendar), ``usage`` (hours and fees), ``billing`` (statements and voucher
redemption), ``vouchers`` (programmes, applications, claims), ``platforms`` (service platforms and
orders) and ``reminders`` (the daily sweep)."""
