"""The embedded database backend: Django's SQLite backend, waiting for the write lock in Python."""
