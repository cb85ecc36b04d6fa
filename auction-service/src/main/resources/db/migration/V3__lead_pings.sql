-- Ping/post: a publisher asks what a lead would sell for with its anonymous data (vertical, ZIP,
-- state), then posts the full lead with the ping's id. The ping keeps the best bid it found and the
-- buyer who made it (never shown to the publisher); the post sells at no less than that bid.
create table lead_ping (
    id              uuid        primary key,
    publisher_id    text        not null,
    idempotency_key text        not null,
    request_hash    text        not null check (length(request_hash) = 64),
    vertical        text        not null,
    zip             text        not null check (zip ~ '^[0-9]{5}$'),
    state           text        not null check (state ~ '^[A-Z]{2}$'),
    bid             numeric(12, 2) check (bid > 0),
    price           numeric(12, 2) check (price >= 0),
    buyer_id        uuid,
    considered      integer     not null check (considered >= 0),
    created_at      timestamptz not null,
    expires_at      timestamptz not null check (expires_at > created_at),
    -- The lead whose auction used the ping, and when: set in that lead's decision transaction (the
    -- lead row is written later in it, hence no foreign key), so a post that fails leaves it unused.
    lead_id         uuid        unique,
    used_at         timestamptz,
    constraint lead_ping_idempotency_key unique (publisher_id, idempotency_key),
    constraint lead_ping_priced check ((bid is null) = (price is null) and (bid is null) = (buyer_id is null)),
    constraint lead_ping_used check ((lead_id is null) = (used_at is null))
);

-- A post of a ping goes to the ping's winner first; bidders below the pinged bid cannot take it.
-- The wider CHECKs are added NOT VALID and validated afterwards: the old release keeps writing while
-- the existing rows are checked (VALIDATE takes a lock that does not block writes).
alter table auction drop constraint auction_deciding_rule_check,
    add constraint auction_deciding_rule_check check (deciding_rule in
        ('HIGHEST_BID', 'PRIORITY', 'REGISTRATION_ORDER', 'ONLY_BIDDER', 'NO_ELIGIBLE_BUYER', 'PING_WINNER')) not valid;
alter table auction validate constraint auction_deciding_rule_check;
alter table auction_bid drop constraint auction_bid_outcome_check,
    add constraint auction_bid_outcome_check check (outcome in ('WON', 'OUTBID', 'LOST_TIE_PRIORITY',
        'LOST_TIE_REGISTRATION', 'FILTERED_ZIP', 'OVER_DAILY_CAP', 'OVER_MONTHLY_CAP', 'OVER_DAILY_BUDGET',
        'INVALID_BID', 'BELOW_PING_PRICE', 'LOST_TO_PING_WINNER')) not valid;
alter table auction_bid validate constraint auction_bid_outcome_check;
