-- Live bids (real-time bidding): a ping keeps every live bidder's answer (bid, latency, reason),
-- so the post sells at those bids and each buyer can see its own answer afterwards. A compact
-- array in the ping's row: the answers are written once, with the ping, and read with it.
alter table lead_ping add column live_bids jsonb not null default '[]'
    constraint lead_ping_live_bids_array check (jsonb_typeof(live_bids) = 'array');

-- A live bidder that made no counting bid on the ping cannot take its post.
alter table auction_bid drop constraint auction_bid_outcome_check,
    add constraint auction_bid_outcome_check check (outcome in ('WON', 'OUTBID', 'LOST_TIE_PRIORITY',
        'LOST_TIE_REGISTRATION', 'FILTERED_ZIP', 'OVER_DAILY_CAP', 'OVER_MONTHLY_CAP', 'OVER_DAILY_BUDGET',
        'INVALID_BID', 'BELOW_PING_PRICE', 'LOST_TO_PING_WINNER', 'NO_LIVE_BID'));

-- Whether a return of this sale gives the buyer back the cap and budget it used: the buyer's setting
-- when it bought (buyer-registry's capsBackOnReturn), so a later change does not rewrite old sales.
alter table revenue_entry add column caps_back_on_return boolean not null default true;
