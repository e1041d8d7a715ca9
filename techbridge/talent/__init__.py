"""People of technology transfer: the expert pool (shared by valuation panels, evaluations and fund
reviews), technology managers (技术经理人) and hard-demand routing, training with certificates toward the
plan's 500, two-way secondments, and the task-15 talent register."""
