-- A refund may be reported before a larger capture of its payment (providers do not promise the
-- order of their events): what was refunded is kept in full, and only the part the known capture
-- covers takes points back until the rest of the capture arrives.
ALTER TABLE purchase_grant DROP CONSTRAINT purchase_grant_check;
ALTER TABLE purchase_grant ADD CONSTRAINT purchase_grant_refunded_minor_check CHECK (refunded_minor >= 0);
