"""Pages of events: the portal (list, event, ticket, calendar), the console and the door."""
