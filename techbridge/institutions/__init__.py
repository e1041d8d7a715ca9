"""Technology-transfer service institutions (技术转移服务机构): profiles, demonstration designations, the
alliance and its service standards, quarterly scorecards, client ratings, credit events and the blacklist."""
