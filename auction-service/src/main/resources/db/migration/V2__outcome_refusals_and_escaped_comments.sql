-- Expand only: the release before this one keeps working against the new schema.

-- Comments are stored HTML-escaped: the sanitizer turns one character of the (at most 2000) sent
-- into up to 8 (U+FE60 becomes "&#xfe60;"), so 4000 refused valid comments such as 2000 x "&".
ALTER TABLE lead DROP CONSTRAINT lead_comments_check;
ALTER TABLE lead ADD CONSTRAINT lead_comments_check CHECK (length(comments) <= 16000 AND comments !~ '[<>]');

-- A buyer's own outcomes may be refused for the return window or an earlier conversion too.
-- (Outcomes from a buyer that did not buy the lead are no longer stored; older rows stay valid.)
ALTER TABLE lead_outcome DROP CONSTRAINT lead_outcome_refusal_check;
ALTER TABLE lead_outcome ADD CONSTRAINT lead_outcome_refusal_check CHECK (refusal IN
    ('unknown-lead', 'not-the-buyer', 'not-sold', 'already-returned', 'already-converted', 'return-window-closed'));
