-- The waterfall: post-accept buyers are offered the lead in rank order until one accepts. The
-- auction keeps every offer (buyer, price, accepted or why not, status, latency) as one array.
alter table auction add column offers jsonb not null default '[]'
    constraint auction_offers_array check (jsonb_typeof(offers) = 'array');

alter table auction_bid drop constraint auction_bid_outcome_check,
    add constraint auction_bid_outcome_check check (outcome in ('WON', 'OUTBID', 'LOST_TIE_PRIORITY',
        'LOST_TIE_REGISTRATION', 'FILTERED_ZIP', 'OVER_DAILY_CAP', 'OVER_MONTHLY_CAP', 'OVER_DAILY_BUDGET',
        'INVALID_BID', 'BELOW_PING_PRICE', 'LOST_TO_PING_WINNER', 'NO_LIVE_BID', 'WON_SHARED', 'LOST_TO_SHARED',
        'REJECTED_OFFER', 'NOT_OFFERED'));

alter table auction drop constraint auction_deciding_rule_check,
    add constraint auction_deciding_rule_check check (deciding_rule in ('HIGHEST_BID', 'PRIORITY', 'REGISTRATION_ORDER',
        'ONLY_BIDDER', 'NO_ELIGIBLE_BUYER', 'PING_WINNER', 'SHARED', 'ACCEPTED_OFFER'));
