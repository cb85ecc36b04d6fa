-- Shared leads: a lead sells exclusive to one buyer, or shared to a few, each paying its own shared
-- bid. A sale is a SALE revenue entry, one per buyer of the lead; each has its own delivery, and a
-- return reverses that buyer's sale only.
-- Expand only: the previous release, still running during a rollout, writes rows without sale_mode
-- or mode (NULL, read as exclusive), and every check here accepts them. It does not know shared leads:
-- roll out with AUCTION_SHARING_MAX_BUYERS=1 and raise it once no pod of the previous release is left.
-- Flyway runs this file in one transaction: the checks are validated under the lock ADD CONSTRAINT
-- takes, held to the end of the file (short on tables of today's size; split the file for big ones).

-- The lead: how it sold. Its price is what all its sales come to; its buyer only when exclusive
-- (sale_mode NULL: a sale of the previous release, exclusive).
alter table lead add column sale_mode text constraint lead_sale_mode_known check (sale_mode in ('EXCLUSIVE', 'SHARED'));
update lead set sale_mode = 'EXCLUSIVE' where buyer_id is not null;
alter table lead drop constraint lead_sale_has_buyer_and_price,
    add constraint lead_sale_has_price check ((status in ('SOLD', 'RETURNED')) = (price is not null)),
    add constraint lead_sale_buyer check (case when sale_mode = 'SHARED' then buyer_id is null
        else (status in ('SOLD', 'RETURNED')) = (buyer_id is not null) end);

-- The auction: a shared sale has no single winner; its price is the sum of the shared bids.
alter table auction add column sale_mode text constraint auction_sale_mode_known check (sale_mode in ('EXCLUSIVE', 'SHARED'));
update auction set sale_mode = 'EXCLUSIVE' where winner_id is not null;
alter table auction drop constraint auction_winner_pays, drop constraint auction_no_winner_rule,
    drop constraint auction_deciding_rule_check,
    add constraint auction_deciding_rule_check check (deciding_rule in ('HIGHEST_BID', 'PRIORITY', 'REGISTRATION_ORDER',
        'ONLY_BIDDER', 'NO_ELIGIBLE_BUYER', 'PING_WINNER', 'SHARED')),
    add constraint auction_sale_has_price check ((price is null) = (winner_id is null and sale_mode is distinct from 'SHARED')),
    add constraint auction_no_sale_rule check ((price is null) = (deciding_rule = 'NO_ELIGIBLE_BUYER')),
    add constraint auction_shared_rule check ((sale_mode is not distinct from 'SHARED') = (deciding_rule = 'SHARED')),
    add constraint auction_shared_has_no_winner check (sale_mode is distinct from 'SHARED' or winner_id is null);

-- Every considered buyer's shared bid too (null: it does not share), and the outcomes of sharing.
alter table auction_bid add column shared_bid numeric(12, 2) constraint auction_bid_shared_bid_positive check (shared_bid > 0),
    drop constraint auction_bid_outcome_check,
    add constraint auction_bid_outcome_check check (outcome in ('WON', 'OUTBID', 'LOST_TIE_PRIORITY',
        'LOST_TIE_REGISTRATION', 'FILTERED_ZIP', 'OVER_DAILY_CAP', 'OVER_MONTHLY_CAP', 'OVER_DAILY_BUDGET',
        'INVALID_BID', 'BELOW_PING_PRICE', 'LOST_TO_PING_WINNER', 'NO_LIVE_BID', 'WON_SHARED', 'LOST_TO_SHARED'));

-- Revenue: one sale (and at most one return) per buyer of a lead.
alter table revenue_entry add constraint revenue_entry_once_per_buyer_and_kind unique (lead_id, buyer_id, kind);
alter table revenue_entry drop constraint revenue_entry_once_per_kind;

-- Deliveries: one per sale.
alter table delivery drop constraint delivery_pkey, add primary key (lead_id, buyer_id);

-- Pings: a shared ping promises the sum of its sharers' payouts; its buyers stay on the ping (never
-- shown). mode NULL on a priced ping: the previous release's, exclusive.
alter table lead_ping add column mode text constraint lead_ping_mode_known check (mode in ('EXCLUSIVE', 'SHARED')),
    add column sharers uuid[];
update lead_ping set mode = 'EXCLUSIVE' where bid is not null;
alter table lead_ping drop constraint lead_ping_priced,
    add constraint lead_ping_priced check ((bid is null) = (price is null) and (bid is null) = (buyer_id is null and sharers is null)),
    add constraint lead_ping_buyers check ((buyer_id is null or sharers is null)
        and (mode is distinct from 'SHARED' or sharers is not null) and (mode is distinct from 'EXCLUSIVE' or buyer_id is not null));
