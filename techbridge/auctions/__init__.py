"""Online auctions (拍卖) and roadshows: sessions, lots, bidders, deposits, bids, closing."""
