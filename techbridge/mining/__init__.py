"""Information aggregation and mining: import console, de-duplication, classification,
achievement packages (科技成果包), supply–demand analysis and catalogues."""
