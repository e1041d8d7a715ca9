"""Pure helpers named by topic; nothing here knows the domain or the database."""
