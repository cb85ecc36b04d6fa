-- Live bidding (ping/post): a buyer may answer pings from its own endpoint, called with its own
-- credentials (encrypted as the delivery ones are, under a purpose of their own), and may name a
-- floor below which its live bids do not count. The endpoint, its credentials and their key id come
-- and go together. New columns are nullable, so the old release keeps writing rows while this runs.
alter table buyer
    add column ping_url             text check (length(ping_url) between 1 and 2048),
    add column ping_auth_type       text check (ping_auth_type in ('basic', 'bearer', 'header')),
    add column ping_auth_hint       text check (length(ping_auth_hint) <= 200),
    add column ping_auth_ciphertext bytea,
    add column ping_auth_key_id     bigint,
    add column bid_floor            numeric(12, 2) constraint buyer_bid_floor_positive check (bid_floor > 0),
    add constraint buyer_ping_endpoint_whole check (
        (ping_url is null) = (ping_auth_ciphertext is null)
        and (ping_auth_ciphertext is null) = (ping_auth_key_id is null)
        and (ping_auth_ciphertext is null) = (ping_auth_type is null)
        and (ping_auth_ciphertext is null) = (ping_auth_hint is null));

-- Shared leads: what the buyer bids for a lead it shares with others (null: exclusive only).
alter table buyer add column shared_bid_amount numeric(12, 2)
    constraint buyer_shared_bid_amount_positive check (shared_bid_amount > 0);

-- Whether a return accepted within the return window gives the buyer back the cap and budget the
-- sale used (auction-service takes the setting with each sale).
alter table buyer add column caps_back_on_return boolean not null default true;

-- How the buyer takes leads: auto (every lead it wins is its, delivered afterwards) or post-accept
-- (offered the lead first, it accepts or rejects it; rejections go on down the waterfall).
alter table buyer add column accept_mode text not null default 'auto'
    constraint buyer_accept_mode_known check (accept_mode in ('auto', 'post-accept'));

-- Re-encryption finds ping credentials not under the primary key as it finds delivery ones.
create index buyer_ping_auth_key_idx on buyer (ping_auth_key_id) where ping_auth_key_id is not null;
