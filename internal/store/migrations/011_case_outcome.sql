-- A case's last recorded outcome (modified, compensated, declined,
-- no_answer), kept when the case moves on to explained and closed: the
-- modified share (改评率) and the closed case's label read it. Filled from
-- the timeline for the cases worked before.
ALTER TABLE cases ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
UPDATE cases SET outcome = (
    SELECT e.kind FROM case_events e
    WHERE e.case_id = cases.id AND e.kind IN ('modified', 'compensated', 'declined', 'no_answer')
    ORDER BY e.at DESC, e.id DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM case_events e
    WHERE e.case_id = cases.id AND e.kind IN ('modified', 'compensated', 'declined', 'no_answer'));
