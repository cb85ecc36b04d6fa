-- A sale's write path, made cheap: every considered buyer's bid and outcome goes into the
-- auction's own row as one JSON array (about 14 entries) instead of one auction_bid row each, with
-- its two index entries. The outcomes the database accepts stay checked, in the array.
alter table auction add column bids jsonb not null default '[]'
    constraint auction_bids_array check (jsonb_typeof(bids) = 'array'),
    add constraint auction_bids_outcomes_known check (not jsonb_path_exists(bids,
        '$[*] ? (!(@.outcome like_regex "^(WON|OUTBID|LOST_TIE_PRIORITY|LOST_TIE_REGISTRATION|FILTERED_ZIP|OVER_DAILY_CAP|OVER_MONTHLY_CAP|OVER_DAILY_BUDGET|INVALID_BID|BELOW_PING_PRICE|LOST_TO_PING_WINNER|NO_LIVE_BID|WON_SHARED|LOST_TO_SHARED|REJECTED_OFFER|NOT_OFFERED)$"))'));

-- Auctions decided before this release move into the array (in this migration's transaction: a
-- short lock on today's table sizes). auction_bid stays (read, never written) while the previous
-- release may still be writing to it during a rollout; reads fall back to it for an auction whose
-- array is empty (the previous release's pods read only auction_bid, so they show no bids for
-- auctions this release decided until the rollout ends). A later release drops it.
update auction a set bids = b.bids
from (select lead_id, jsonb_agg(jsonb_build_object('buyerId', buyer_id, 'bid', bid::text, 'sharedBid', shared_bid::text,
                                                   'outcome', outcome) order by bid desc, buyer_id) as bids
      from auction_bid group by lead_id) b
where a.lead_id = b.lead_id;
