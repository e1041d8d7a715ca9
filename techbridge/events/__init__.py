"""Events (活动): exhibitions and releases, matchmaking, roadshows, training and consulting — sessions,
venue or live link, registration with a waitlist, QR tickets checked in at the door, iCal, the listings
and lots presented, and the rooms, contracts and bids an event started."""
