"""Online auctions (拍卖): sessions, lots, bidders, deposits, bids, closing. Roadshows are events."""
