"""Pages of carriers and enterprises, by topic; views stay thin (forms validate, services decide)."""
