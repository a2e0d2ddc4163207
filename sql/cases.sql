-- cases: the lawful process of LCL Art. 39(4) -- states and the moves
-- between them, actors and their duties, every gate refused with its
-- error, the happy path of each ground, the custody chain, the legal
-- hold, and the compensation exposure.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
-- the messages name cases and alerts: their ids must not depend on the files run before
SELECT setval(pg_get_serial_sequence('hrguard.case', 'case_id'), 1000, false) IS NOT NULL AS case_ids,
	   setval(pg_get_serial_sequence('hrguard.alert', 'alert_id'), 500000, false) IS NOT NULL AS alert_ids;
\set case_state 'SELECT state, ground, last_event, closed_at IS NOT NULL AS closed FROM hrguard."case" WHERE case_id = '
-- the steps of a case happen after it opened; these cases are made to have
-- opened 60 days ago (as the owner can), since a test cannot wait for days
\set backdate 'UPDATE hrguard."case" SET opened_at = opened_at - interval \'60 days\' WHERE case_id = '

INSERT INTO hrguard.employee (employee_id, tenant_id, team, hired_on)
VALUES ('CS1', 'cases', 'case sales', '2020-03-15'),
	   ('CS2', 'cases', 'case sales', '2026-06-01'),
	   ('CS3', 'cases', 'case sales', '2010-01-01'),
	   ('CS4', 'cases', 'case sales', NULL);
-- a case's custody chain is "case:<id>": no employee may take such an id
INSERT INTO hrguard.employee (employee_id) VALUES ('case:1');
INSERT INTO hrguard.zone (tenant_id, name, kind, geom)
VALUES ('cases', 'case office', 'office', ST_GeomFromText('POLYGON((121.60 31.30, 121.61 31.30, 121.61 31.31, 121.60 31.31, 121.60 31.30))', 4326));
INSERT INTO hrguard.zone_assignment (zone_id, team)
SELECT zone_id, 'case sales' FROM hrguard.zone WHERE name = 'case office';
-- an alert: on duty far outside the office
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('CS1', '2026-11-23 10:00', 31.40, 121.60, 'cs-phone');
SELECT alert_id AS alert1 FROM hrguard.alert WHERE employee_id = 'CS1' \gset

INSERT INTO hrguard.case_actor (actor, display_name, duty)
VALUES ('inv', 'Investigator Wang', 'investigator'),
	   ('hr1', 'HR Li', 'hr'),
	   ('legal1', 'Counsel Zhao', 'er_legal'),
	   ('legal2', 'Counsel Qian', 'er_legal'),
	   ('scorer', 'monthly scoring', 'automated');
INSERT INTO hrguard.case_actor (actor, display_name, duty, active) VALUES ('gone', 'Left the company', 'hr', false);
INSERT INTO hrguard.case_actor (actor, display_name, duty) VALUES ('x', 'Bad duty', 'manager');

-- 1. Opening: by a registered, active actor, for a registered employee
SELECT hrguard.open_case('CS1', 'nobody', 'outside the office on duty');
SELECT hrguard.open_case('CS1', 'gone', 'outside the office on duty');
SELECT hrguard.open_case('NOPE', 'hr1', 'outside the office on duty');
SELECT hrguard.open_case('CS1', 'hr1', '   ');
SELECT hrguard.open_case('CS1', 'scorer', 'outside the office on duty', ARRAY[:alert1, 999999]);
SELECT count(*) AS cases FROM hrguard."case" WHERE employee_id LIKE 'CS%';
SELECT hrguard.open_case('CS1', 'scorer', 'outside the office on duty', ARRAY[:alert1]) AS case1 \gset
:backdate :case1;
:case_state :case1;
SELECT status, case_id = :case1 AS in_case FROM hrguard.alert WHERE alert_id = :alert1;
SELECT details->>'category' AS punch_alert_is FROM hrguard.case_event WHERE case_id = :case1 AND kind = 'alert';
SELECT hrguard.case_attach_alert(:case1, :alert1, 'inv');
SELECT hrguard.case_attach_alert(:case1, :alert1, 'inv', 'proof');

-- 2. No automated decision: a score may open and verify, no more
SELECT hrguard.case_transition(:case1, 'verifying', 'scorer', 'opened by the monthly score');
SELECT hrguard.case_transition(:case1, 'interview', 'scorer');
SELECT hrguard.case_transition(:case1, 'cleared', 'scorer');
-- nor say what an alert proves
SELECT hrguard.case_attach_alert(:case1, :alert1, 'scorer', 'other_employment');
:case_state :case1;

-- 3. Forbidden moves name the missing step; the case stays as it was
SELECT hrguard.case_transition(:case1, 'decision', 'hr1');
SELECT hrguard.case_transition(:case1, 'terminated', 'hr1');
SELECT hrguard.case_transition(:case1, 'open', 'hr1');
SELECT hrguard.case_transition(:case1, 'verifying', 'hr1');
SELECT hrguard.case_transition(:case1, 'fired', 'hr1');
SELECT hrguard.case_transition(:case1, NULL, 'hr1');
SELECT hrguard.case_transition(999999, 'interview', 'hr1');
SELECT hrguard.case_interview(:case1, 'inv', now() - interval '1 day', 'room 3', ARRAY['Wang', 'CS1'], 'worked for a client', 'signed');
:case_state :case1;

-- 4. The interview: when, where, who, the explanation, signed or refused
SELECT hrguard.case_transition(:case1, 'interview', 'inv');
SELECT hrguard.case_interview(:case1, 'inv', now() + interval '1 day', 'room 3', ARRAY['Wang', 'CS1'], 'x', 'signed');
SELECT hrguard.case_interview(:case1, 'inv', 'infinity', 'room 3', ARRAY['Wang', 'CS1'], 'x', 'signed');
SELECT hrguard.case_interview(:case1, 'inv', now() - interval '1 day', 'room 3', ARRAY[]::text[], 'x', 'signed');
SELECT hrguard.case_interview(:case1, 'inv', now() - interval '1 day', 'room 3', ARRAY['Wang', ' '], 'x', 'signed');
SELECT hrguard.case_interview(:case1, 'inv', now() - interval '1 day', 'room 3', '{{Wang, CS1}, {Li, Zhao}}', 'x', 'signed');
SELECT hrguard.case_interview(:case1, 'inv', now() + interval '5 minutes', 'room 3', ARRAY['Wang', 'CS1'], 'x', 'signed');
SELECT hrguard.case_interview(:case1, 'inv', now() - interval '61 days', 'room 3', ARRAY['Wang', 'CS1'], 'x', 'signed');
SELECT hrguard.case_interview(:case1, 'inv', now() - interval '1 day', 'room 3', ARRAY['Wang', 'CS1'], 'x', 'maybe');
SELECT hrguard.case_interview(:case1, 'inv', now() - interval '1 day', NULL, ARRAY['Wang', 'CS1'], 'x', 'signed');
SELECT hrguard.case_interview(:case1, 'inv', now() - interval '1 day', 'room 3', ARRAY['Wang', 'CS1'], 'x', 'signed', 'ABC');
SELECT hrguard.case_interview(:case1, 'inv', now() - interval '1 day', 'room 3', ARRAY['Wang', 'CS1'],
	'says the visits were for a friend''s company', 'refused', repeat('ab', 32)) > 0 AS interviewed;
SELECT hrguard.case_transition(:case1, 'evidence_review', 'inv');

-- 5. Evidence: by document hash or an entry of the employee's chain; what
-- the law excludes is refused
SELECT hrguard.record_evidence('CS1', 'social_insurance', '{"insurer": "other company", "months": 4}',
	now() - interval '2 days') AS si_seq \gset
SELECT hrguard.case_attach_evidence(:case1, 'inv', 'other_employment', 'tracker on the private car', now() - interval '3 days', 'covert_private_device', repeat('cd', 32));
SELECT hrguard.case_attach_evidence(:case1, 'inv', 'other_employment', 'chats read on the private phone', now() - interval '3 days', 'private_account_access', repeat('cd', 32));
SELECT hrguard.case_attach_evidence(:case1, 'inv', 'other_employment', 'x', now() - interval '3 days', 'rumour', repeat('cd', 32));
SELECT hrguard.case_attach_evidence(:case1, 'inv', 'gossip', 'x', now() - interval '3 days', 'notarized', repeat('cd', 32));
SELECT hrguard.case_attach_evidence(:case1, 'inv', 'other_employment', 'x', now() - interval '3 days', 'notarized');
SELECT hrguard.case_attach_evidence(:case1, 'inv', 'other_employment', 'x', now() - interval '3 days', 'notarized', 'CDCD');
SELECT hrguard.case_attach_evidence(:case1, 'inv', 'other_employment', 'x', now() - interval '3 days', 'notarized', NULL, 999999);
SELECT hrguard.case_attach_evidence(:case1, 'scorer', 'impact', 'x', now() - interval '3 days', 'notarized', repeat('cd', 32));
SELECT hrguard.case_attach_evidence(:case1, 'inv', 'other_employment', 'social insurance paid by another company',
	now() - interval '2 days', 'social_insurance_record', NULL, :si_seq) > 0 AS attached;
SELECT hrguard.case_attach_evidence(:case1, 'inv', 'impact', 'verified hours down 30 % in November',
	now() - interval '2 days', 'hrguard_record', repeat('cd', 32)) > 0 AS attached;
SELECT details->>'evidence_link' = (SELECT encode(link, 'hex') FROM hrguard.evidence WHERE employee_id = 'CS1' AND seq = :si_seq)
	   AS commits_to_the_entry
  FROM hrguard.case_event WHERE case_id = :case1 AND kind = 'evidence' AND details->>'evidence_seq' IS NOT NULL;

-- 6. Readiness: per ground, what is there and what is missing
SELECT ground, requirement, present, detail FROM hrguard.case_readiness(:case1) ORDER BY ground, requirement;

-- 7. The gates of a termination, each refused with what it lacks
SELECT hrguard.case_transition(:case1, 'decision', 'inv');
SELECT hrguard.case_transition(:case1, 'decision', 'hr1');
SELECT hrguard.case_transition(:case1, 'terminated', 'hr1');
SELECT hrguard.case_approve(:case1, 'hr1', 'terminated');
SELECT hrguard.case_set_ground(:case1, '39_2', 'hr1');
SELECT hrguard.case_set_ground(:case1, '39_4a', 'inv');
SELECT hrguard.case_set_ground(:case1, '39_4a', 'hr1', 'serious impact on the month''s work') > 0 AS ground_set;
SELECT hrguard.case_transition(:case1, 'terminated', 'hr1');
SELECT hrguard.case_approve(:case1, 'hr1', 'terminated') > 0 AS approved;
SELECT hrguard.case_approve(:case1, 'hr1', 'terminated');
SELECT hrguard.case_approve(:case1, 'inv', 'terminated');
SELECT hrguard.case_approve(:case1, 'hr1', 'fired');
SELECT hrguard.case_transition(:case1, 'terminated', 'hr1');
SELECT hrguard.case_union_reply(:case1, 'hr1', now() - interval '1 hour', true, 'objects');
SELECT hrguard.case_union_notice(:case1, 'hr1', now() - interval '2 hours', 'company union', 'works for a competitor', 'zz');
SELECT hrguard.case_union_notice(:case1, 'hr1', now() - interval '2 hours', 'company union', 'works for a competitor', repeat('ef', 32)) > 0 AS union_notified;
SELECT hrguard.case_union_reply(:case1, 'hr1', now() - interval '3 hours', true, 'a reply before the notice');
SELECT hrguard.case_union_reply(:case1, 'hr1', now() - interval '1 hour', true, 'the union asks for the evidence') AS objection \gset
SELECT hrguard.case_rebuttal(:case1, 'hr1', now() - interval '30 minutes', 'the other company is my brother''s') AS rebuttal \gset
SELECT hrguard.case_approve(:case1, 'legal1', 'terminated') > 0 AS approved;
SELECT hrguard.case_transition(:case1, 'terminated', 'legal1');
SELECT hrguard.case_acknowledge(:case1, :rebuttal, 'hr1', 'read; the brother''s company competes with ours');
SELECT hrguard.case_acknowledge(:case1, :rebuttal, 'hr1', 'again');
SELECT hrguard.case_acknowledge(:case1, 1, 'hr1', 'not a rebuttal');
SELECT hrguard.case_transition(:case1, 'terminated', 'legal1');
SELECT hrguard.case_acknowledge(:case1, :objection, 'legal1', 'evidence shown to the union on 1 Dec') > 0 AS acknowledged;
SELECT ground, requirement, present FROM hrguard.case_readiness(:case1) WHERE ground = '39_4a' ORDER BY requirement;
SELECT hrguard.case_transition(:case1, 'terminated', 'legal1', 'notice handed over');
:case_state :case1;
SELECT hrguard.case_transition(:case1, 'cleared', 'hr1');
SELECT hrguard.case_rebuttal(:case1, 'hr1', now() - interval '1 minute', 'late');

-- 7b. The termination notice: facts, clause, statutory ground, evidence
-- with hashes, the custody head it was made from; JSON and Chinese text
INSERT INTO hrguard.contract (employee_id, kind, starts_on, document_sha256, clause)
VALUES ('CS1', 'confidentiality', '2020-03-15', repeat('c1', 32), '员工手册第12条：未经批准不得兼职');
SELECT hrguard.termination_notice(:case1) AS notice \gset
SELECT n->>'status' AS status, n->>'ground' AS ground, n->'employee'->>'employee_id' AS employee,
	   jsonb_array_length(n->'evidence') AS evidence_items, jsonb_array_length(n->'contract_clauses') AS clauses,
	   jsonb_array_length(n->'facts'->'interviews') AS interviews, n->'facts'->'union_notice'->>'union_name' AS union_name,
	   (n->'custody'->>'seq')::bigint = (SELECT last_event FROM hrguard."case" WHERE case_id = :case1) AS custody_at_last_step,
	   n->'custody'->>'link' = (SELECT encode(head, 'hex') FROM hrguard.chain_head WHERE employee_id = 'case:' || :case1) AS custody_head,
	   n->>'terminated_at' IS NOT NULL AS dated
  FROM (SELECT :'notice'::jsonb AS n) x;
SELECT e->>'kind' AS kind, e->>'category' AS category, e->>'collection_method' AS method,
	   coalesce(e->>'document_sha256', 'entry ' || (e->>'evidence_seq')) AS hash_of,
	   e->>'custody_link' = (SELECT encode(link, 'hex') FROM hrguard.evidence WHERE employee_id = 'case:' || :case1 AND seq = (e->>'step')::bigint) AS custody_link_ok
  FROM jsonb_array_elements(:'notice'::jsonb->'evidence') e ORDER BY (e->>'step')::int;
SELECT line_no, CASE WHEN line ~ '[0-9a-f]{64}' OR line ~ '[0-9]{4}年' THEN regexp_replace(regexp_replace(line, '[0-9a-f]{64}', '<hash>', 'g'), '[0-9]{4}年[0-9]+月[0-9]+日', '<date>', 'g') ELSE line END AS text_zh
  FROM regexp_split_to_table(:'notice'::jsonb->>'text_zh', E'\n') WITH ORDINALITY AS t(line, line_no) ORDER BY line_no;
-- 7c. The case package: the steps stated, the custody package and the
-- employee's evidence package under one checkpoint; the export is a step
SELECT hrguard.export_case(:case1, 'scorer');
SELECT hrguard.export_case(:case1, 'inv', now(), now() - interval '1 day');
SELECT hrguard.export_case(:case1, 'inv') AS package \gset
SELECT p->>'format' AS format, p->'case'->>'state' AS state, json_array_length(p->'steps') AS steps,
	   p->'steps'->-1->>'kind' AS last_step, p->'custody'->>'employee_id' AS custody_chain,
	   json_array_length(p->'custody'->'entries') AS custody_entries, p->'evidence'->>'employee_id' AS evidence_of,
	   p->'custody'->'checkpoint'->>'body' = p->>'checkpoint' AND p->'evidence'->'checkpoint'->>'body' = p->>'checkpoint' AS one_checkpoint,
	   p->'case'->>'opened_at' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$' AS utc_times
  FROM (SELECT :'package'::json AS p) x;
SELECT last_event, (SELECT kind FROM hrguard.case_event WHERE case_id = :case1 ORDER BY event_no DESC LIMIT 1) AS last_kind
  FROM hrguard."case" WHERE case_id = :case1;
SELECT hrguard.termination_notice(NULL);
SELECT hrguard.termination_notice(999999);

-- 7d. The case report: one page, well-formed XHTML, no script and nothing
-- fetched; a row per step, the alerts explained, a map of the punches
-- against the zones near them
INSERT INTO hrguard.zone (tenant_id, name, kind, geom)
VALUES ('cases', 'rival <b>HQ</b>' || chr(1), 'competitor', ST_GeomFromText('POLYGON((121.598 31.398, 121.603 31.398, 121.603 31.402, 121.598 31.402, 121.598 31.398), (121.5995 31.3995, 121.6005 31.3995, 121.6005 31.4005, 121.5995 31.4005, 121.5995 31.3995))', 4326));
UPDATE hrguard.employee SET display_name = 'Wang' || chr(27) || '[2J' WHERE employee_id = 'CS1';
INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m)
VALUES ('cases', 'client "X"', 'client', ST_SetSRID(ST_MakePoint(121.605, 31.401), 4326), 150);
SELECT hrguard.case_report(:case1) AS report \gset
\set ns 'ARRAY[ARRAY[\'x\', \'http://www.w3.org/1999/xhtml\'], ARRAY[\'s\', \'http://www.w3.org/2000/svg\']]'
SELECT xml_is_well_formed_document(r) AS well_formed,
	   (xpath('count(//x:table[@class="timeline"]/x:tr[starts-with(@class, "step")])', d, :ns))[1]::text::int
		   = (SELECT last_event FROM hrguard."case" WHERE case_id = :case1) AS a_row_per_step,
	   (xpath('count(//s:circle)', d, :ns))[1]::text AS punches,
	   (xpath('count(//s:path[contains(@class, "competitor")])', d, :ns))[1]::text AS competitor_zones,
	   (xpath('string(//s:path[contains(@class, "competitor")]/@d)', d, :ns))[1]::text ~ '^M[^M]+Z M[^M]+Z$' AS with_its_hole,
	   (xpath('count(//s:ellipse[contains(@class, "client")][@rx = @ry])', d, :ns))[1]::text AS round_client_circles,
	   (xpath('count(//x:div[@class="alert"])', d, :ns))[1]::text AS alerts,
	   (xpath('count(//x:script|//*[@src]|//*[@href])', d, :ns))[1]::text AS scripts_or_links,
	   (xpath('string(//x:td[@id="state"])', d, :ns))[1]::text AS state,
	   r ~ 'rival &lt;b&gt;HQ&lt;/b&gt;' AND r ~ 'client &quot;X&quot;' AS names_escaped
  FROM (SELECT :'report' AS r, xmlparse(document :'report') AS d) x;
SELECT hrguard.case_report(NULL);
SELECT hrguard.case_report(999999);

-- 8. Custody: every step is an entry of the case's chain, in order, with
-- who did it; the steps cannot be changed
SELECT event_no, kind, actor, duty, details->>'to' AS to_state, details->>'category' AS category
  FROM hrguard.case_event WHERE case_id = :case1 ORDER BY event_no;
SELECT ok, entries = (SELECT last_event FROM hrguard."case" WHERE case_id = :case1) AS every_step
  FROM hrguard.verify_chain('case:' || :case1);
SELECT bool_and(v.kind = 'case' AND convert_from(v.canon, 'UTF8')::jsonb #>> '{p,step}' = e.kind
				AND (convert_from(v.canon, 'UTF8')::jsonb #>> '{p,actor}') = e.actor) AS entries_are_the_steps
  FROM hrguard.case_event e JOIN hrguard.evidence v ON v.employee_id = 'case:' || e.case_id AND v.seq = e.event_no
 WHERE e.case_id = :case1;
UPDATE hrguard.case_event SET actor = 'hr1' WHERE case_id = :case1 AND event_no = 1;
DELETE FROM hrguard.case_event WHERE case_id = :case1;
TRUNCATE hrguard.case_event CASCADE;

-- 9. Legal hold: an open case holds the evidence; a closed one for the policy's days
SELECT hrguard.legal_hold_until('CS1') - (SELECT closed_at FROM hrguard."case" WHERE case_id = :case1) AS held_after_closing;
SELECT hrguard.open_case('CS1', 'hr1', 'a second look') AS case_open \gset
:backdate :case_open;
SELECT hrguard.legal_hold_until('CS1') AS held_while_open;
SELECT hrguard.legal_hold_until('CS2') AS no_case;
SELECT hrguard.case_transition(:case_open, 'cleared', 'hr1', 'nothing found') AS cleared;
SELECT hrguard.termination_notice(:case_open);

-- 10. Ground 39(4)(b): the notice to correct, its delivery and deadline,
-- and evidence of no correction dated after the deadline
INSERT INTO hrguard.case_policy (tenant_id, correction_days) VALUES ('cases', 10);
SELECT hrguard.open_case('CS2', 'hr1', 'second job at a competitor') AS case2 \gset
:backdate :case2;
SELECT hrguard.case_transition(:case2, 'verifying', 'inv') IS NOT NULL
   AND hrguard.case_transition(:case2, 'interview', 'inv') IS NOT NULL
   AND hrguard.case_interview(:case2, 'inv', now() - interval '30 days', 'room 1', ARRAY['Wang', 'CS2'], 'denies it', 'signed') > 0
   AND hrguard.case_transition(:case2, 'evidence_review', 'inv') IS NOT NULL
   AND hrguard.case_attach_evidence(:case2, 'inv', 'other_employment', 'labour contract with the other company',
		now() - interval '29 days', 'notarized', repeat('01', 32)) > 0 AS reviewed;
SELECT hrguard.case_notice_to_correct(:case2, 'hr1', now() - interval '25 days', 'works for X', 'end the other contract', repeat('02', 32));
SELECT hrguard.case_transition(:case2, 'notice_to_correct', 'inv');
SELECT hrguard.case_notice_delivered(:case2, 'inv', now() - interval '20 days', 'ems', 'EMS 1234');
SELECT hrguard.case_notice_to_correct(:case2, 'inv', now() - interval '25 days', 'works for X', 'end the other contract', repeat('02', 32));
SELECT hrguard.case_notice_to_correct(:case2, 'hr1', now() - interval '25 days', 'works for X', 'end the other contract', NULL);
SELECT hrguard.case_notice_to_correct(:case2, 'hr1', now() - interval '25 days', 'works for X', 'end the other contract', repeat('02', 32), 0);
SELECT hrguard.case_notice_to_correct(:case2, 'hr1', now() - interval '25 days', 'works for X', 'end the other contract', repeat('02', 32)) > 0 AS notice;
SELECT hrguard.case_notice_delivered(:case2, 'inv', now() - interval '26 days', 'ems', 'EMS 1234');
SELECT hrguard.case_notice_delivered(:case2, 'inv', now() - interval '20 days', 'pigeon', 'EMS 1234');
SELECT hrguard.case_notice_delivered(:case2, 'inv', now() - interval '20 days', 'ems', 'EMS 1234') > 0 AS delivered;
SELECT hrguard.case_notice_delivered(:case2, 'inv', now() - interval '19 days', 'ems', 'EMS 1234');
SELECT details->>'deadline' = ((now() - interval '20 days')::date + 10)::text AS deadline_ten_days_on
  FROM hrguard.case_event WHERE case_id = :case2 AND kind = 'notice_delivered';
-- evidence from before the deadline does not show a refusal to correct
SELECT hrguard.case_attach_evidence(:case2, 'inv', 'non_correction', 'still on the other payroll',
	now() - interval '15 days', 'social_insurance_record', repeat('03', 32)) > 0 AS too_early;
SELECT hrguard.case_transition(:case2, 'decision', 'hr1') AS state;
SELECT hrguard.case_set_ground(:case2, '39_4b', 'legal1') > 0
   AND hrguard.case_approve(:case2, 'legal1', 'terminated') > 0
   AND hrguard.case_approve(:case2, 'legal2', 'terminated') > 0
   AND hrguard.case_union_notice(:case2, 'legal1', now() - interval '1 hour', 'company union', 'refused to correct', repeat('04', 32)) > 0 AS prepared;
SELECT requirement, present, detail FROM hrguard.case_readiness(:case2) WHERE ground = '39_4b' AND NOT present ORDER BY requirement;
SELECT hrguard.case_transition(:case2, 'terminated', 'legal1');
SELECT hrguard.case_attach_evidence(:case2, 'inv', 'non_correction', 'still on the other payroll after the deadline',
	now() - interval '1 day', 'social_insurance_record', repeat('05', 32)) > 0 AS after_deadline;
SELECT hrguard.case_transition(:case2, 'terminated', 'legal1') AS state;
SELECT x.n->>'status' AS status, x.n->'facts'->'notice_to_correct'->>'delivery' AS delivery,
	   x.n->'facts'->'notice_to_correct'->>'deadline' = ((now() - interval '20 days')::date + 10)::text AS deadline,
	   x.n->>'text_zh' LIKE '%经用人单位提出，拒不改正%' AS ground_4b, x.n->>'text_zh' LIKE '%您逾期未改正%' AS refused
  FROM (SELECT hrguard.termination_notice(:case2) AS n) x;
-- approvals on one ground do not carry over to another
SELECT count(*) FILTER (WHERE present) AS present, count(*) AS requirements FROM hrguard.case_readiness(:case2) WHERE ground = '39_4a';

-- 11. A deadline not yet over blocks 39(4)(b)
SELECT hrguard.open_case('CS3', 'hr1', 'second job') AS case3 \gset
:backdate :case3;
SELECT hrguard.case_transition(:case3, 'verifying', 'inv') IS NOT NULL
   AND hrguard.case_transition(:case3, 'interview', 'inv') IS NOT NULL
   AND hrguard.case_interview(:case3, 'inv', now() - interval '3 days', 'room 1', ARRAY['Wang', 'CS3'], 'admits it', 'signed') > 0
   AND hrguard.case_transition(:case3, 'evidence_review', 'inv') IS NOT NULL
   AND hrguard.case_transition(:case3, 'notice_to_correct', 'hr1') IS NOT NULL
   AND hrguard.case_notice_to_correct(:case3, 'hr1', now() - interval '2 days', 'works for Y', 'end it', repeat('06', 32)) > 0
   AND hrguard.case_notice_delivered(:case3, 'inv', now() - interval '1 day', 'dingtalk_read', 'read receipt 99') > 0
   AND hrguard.case_transition(:case3, 'decision', 'hr1') IS NOT NULL
   AND hrguard.case_set_ground(:case3, '39_4b', 'hr1') > 0 AS prepared;
SELECT requirement, detail FROM hrguard.case_readiness(:case3) WHERE ground = '39_4b' AND NOT present ORDER BY requirement;
-- a warning needs one approval; then it closes
SELECT hrguard.case_transition(:case3, 'warned', 'hr1');
SELECT hrguard.case_approve(:case3, 'hr1', 'warned') > 0 AS approved;
SELECT hrguard.case_transition(:case3, 'warned', 'hr1') AS state;

-- 12. The interview gate follows the tenant's policy
SELECT hrguard.open_case('CS4', 'hr1', 'no interview') AS case4 \gset
:backdate :case4;
SELECT hrguard.case_transition(:case4, 'verifying', 'inv') IS NOT NULL
   AND hrguard.case_transition(:case4, 'interview', 'inv') IS NOT NULL
   AND hrguard.case_transition(:case4, 'evidence_review', 'inv') IS NOT NULL AS reviewed;
SELECT hrguard.case_transition(:case4, 'decision', 'hr1');
UPDATE hrguard.case_policy SET require_interview = false WHERE tenant_id = 'cases';
SELECT hrguard.case_transition(:case4, 'decision', 'hr1') AS state;
SELECT detail FROM hrguard.case_readiness(:case4) WHERE ground = '39_4a' AND requirement = 'interview';
UPDATE hrguard.case_policy SET require_interview = true WHERE tenant_id = 'cases';

-- 12b. Approvals count only while the approver keeps the duty; a second
-- notice to correct, until delivered, leaves no deadline; a long list of
-- steps awaiting acknowledgement is cut
INSERT INTO hrguard.case_actor (actor, display_name, duty) VALUES ('temp', 'Counsel for a month', 'er_legal');
SELECT hrguard.open_case('CS3', 'hr1', 'one more') AS case5 \gset
:backdate :case5;
SELECT hrguard.case_transition(:case5, 'verifying', 'inv') IS NOT NULL
   AND hrguard.case_transition(:case5, 'interview', 'inv') IS NOT NULL
   AND hrguard.case_interview(:case5, 'inv', now() - interval '50 days', 'room 1', ARRAY['Wang', 'CS3'], 'no comment', 'signed') > 0
   AND hrguard.case_transition(:case5, 'evidence_review', 'inv') IS NOT NULL
   AND hrguard.case_attach_evidence(:case5, 'inv', 'other_employment', 'contract with Z', now() - interval '49 days', 'notarized', repeat('07', 32)) > 0
   AND hrguard.case_transition(:case5, 'notice_to_correct', 'hr1') IS NOT NULL
   AND hrguard.case_notice_to_correct(:case5, 'hr1', now() - interval '45 days', 'works for Z', 'end it', repeat('08', 32)) > 0
   AND hrguard.case_notice_delivered(:case5, 'inv', now() - interval '44 days', 'signature', 'signed copy') > 0
   AND hrguard.case_attach_evidence(:case5, 'inv', 'non_correction', 'still with Z', now() - interval '2 days', 'notarized', repeat('09', 32)) > 0
   AND hrguard.case_transition(:case5, 'decision', 'hr1') IS NOT NULL
   AND hrguard.case_set_ground(:case5, '39_4b', 'hr1') > 0
   AND hrguard.case_union_notice(:case5, 'hr1', now() - interval '1 hour', 'company union', 'refused to correct', repeat('0a', 32)) > 0
   AND hrguard.case_approve(:case5, 'hr1', 'terminated') > 0
   AND hrguard.case_approve(:case5, 'temp', 'terminated') > 0 AS prepared;
SELECT count(*) FILTER (WHERE NOT present) AS missing FROM hrguard.case_readiness(:case5) WHERE ground = '39_4b';
UPDATE hrguard.case_actor SET active = false WHERE actor = 'temp';
SELECT requirement, detail FROM hrguard.case_readiness(:case5) WHERE ground = '39_4b' AND NOT present;
UPDATE hrguard.case_actor SET active = true, duty = 'hr' WHERE actor = 'temp';
SELECT requirement, detail FROM hrguard.case_readiness(:case5) WHERE ground = '39_4b' AND NOT present;
UPDATE hrguard.case_actor SET duty = 'er_legal' WHERE actor = 'temp';
SELECT count(*) FILTER (WHERE NOT present) AS missing FROM hrguard.case_readiness(:case5) WHERE ground = '39_4b';
-- the same case had a second notice, not delivered yet: no deadline runs
SELECT hrguard.open_case('CS3', 'hr1', 'two notices') AS case6 \gset
:backdate :case6;
SELECT set_config('regress.case6', :'case6', false) IS NOT NULL AS noted;
SELECT hrguard.case_transition(:case6, 'verifying', 'inv') IS NOT NULL
   AND hrguard.case_transition(:case6, 'interview', 'inv') IS NOT NULL
   AND hrguard.case_interview(:case6, 'inv', now() - interval '50 days', 'room 1', ARRAY['Wang', 'CS3'], 'no comment', 'signed') > 0
   AND hrguard.case_transition(:case6, 'evidence_review', 'inv') IS NOT NULL
   AND hrguard.case_attach_evidence(:case6, 'inv', 'other_employment', 'contract with Z', now() - interval '49 days', 'notarized', repeat('07', 32)) > 0
   AND hrguard.case_transition(:case6, 'notice_to_correct', 'hr1') IS NOT NULL
   AND hrguard.case_notice_to_correct(:case6, 'hr1', now() - interval '45 days', 'works for Z', 'end it', repeat('08', 32)) > 0
   AND hrguard.case_notice_delivered(:case6, 'inv', now() - interval '44 days', 'signature', 'signed copy') > 0
   AND hrguard.case_attach_evidence(:case6, 'inv', 'non_correction', 'still with Z', now() - interval '2 days', 'notarized', repeat('09', 32)) > 0
   AND hrguard.case_notice_to_correct(:case6, 'hr1', now() - interval '30 minutes', 'also works for Q', 'end it too', repeat('0b', 32)) > 0
   AND hrguard.case_transition(:case6, 'decision', 'hr1') IS NOT NULL
   AND hrguard.case_set_ground(:case6, '39_4b', 'hr1') > 0
   AND hrguard.case_union_notice(:case6, 'hr1', now() - interval '1 hour', 'company union', 'refused to correct', repeat('0a', 32)) > 0
   AND hrguard.case_approve(:case6, 'hr1', 'terminated') > 0
   AND hrguard.case_approve(:case6, 'temp', 'terminated') > 0 AS prepared;
SELECT requirement, detail FROM hrguard.case_readiness(:case6) WHERE ground = '39_4b' AND NOT present ORDER BY requirement;
SELECT hrguard.case_transition(:case6, 'terminated', 'hr1');
SELECT x.n->>'status' AS status, x.n->>'text_zh' LIKE '解除劳动合同通知书（草稿）%' AS draft,
	   x.n->>'terminated_at' IS NULL AS undated
  FROM (SELECT hrguard.termination_notice(:case6) AS n) x;
DO $$
BEGIN
	FOR i IN 1 .. 12 LOOP
		PERFORM hrguard.case_rebuttal(current_setting('regress.case6')::bigint, 'hr1', now() - interval '1 minute', 'rebuttal ' || i);
	END LOOP;
END $$;
SELECT hrguard.case_transition(:case6, 'cleared', 'hr1');
SELECT hrguard.case_transition(:case5, 'terminated', 'hr1') AS state;

-- 13. Roles: without EXECUTE nothing moves; an actor bound to a login acts
-- only from it (or from a role that is a member of it)
CREATE ROLE regress_case_clerk;
CREATE ROLE regress_case_assistant;
CREATE ROLE regress_case_counsel;
GRANT USAGE ON SCHEMA hrguard TO regress_case_clerk, regress_case_assistant, regress_case_counsel;
GRANT EXECUTE ON FUNCTION hrguard.case_transition(bigint, text, text, text),
	hrguard.case_approve(bigint, text, text, text) TO regress_case_assistant, regress_case_counsel;
INSERT INTO hrguard.case_actor (actor, display_name, duty, db_role) VALUES ('counsel', 'Counsel Sun', 'er_legal', 'regress_case_counsel');
SET ROLE regress_case_clerk;
SELECT hrguard.case_transition(:case4, 'cleared', 'hr1');
SELECT hrguard.case_approve(:case4, 'counsel', 'warned');
SET ROLE regress_case_assistant;
SELECT hrguard.case_approve(:case4, 'counsel', 'warned');
SET ROLE regress_case_counsel;
SELECT hrguard.case_approve(:case4, 'counsel', 'warned') > 0 AS approved;
RESET ROLE;
:case_state :case4;
SELECT actor, db_role FROM hrguard.case_event WHERE case_id = :case4 AND kind = 'approval';

-- 14. Exposure: LCL Art. 47 months of the capped wage, Art. 87 doubled
SELECT * FROM hrguard.termination_exposure('CS1', '2026-12-01', 10000, 9000);
SELECT * FROM hrguard.termination_exposure('CS2', '2026-09-15', 8000, 9000);
SELECT * FROM hrguard.termination_exposure('CS2', '2026-12-01', 8000, 9000);
SELECT * FROM hrguard.termination_exposure('CS2', '2026-11-30', 8000, 9000);
SELECT * FROM hrguard.termination_exposure('CS3', '2026-12-01', 40000, 10000);
SELECT * FROM hrguard.termination_exposure('CS3', '2011-12-31', 40000, 10000);
SELECT * FROM hrguard.termination_exposure('CS3', '2012-01-01', 40000, 10000);
SELECT * FROM hrguard.termination_exposure('CS2', '2026-06-01', 8000, 9000);
SELECT * FROM hrguard.termination_exposure('CS4', '2026-12-01', 8000, 9000);
SELECT * FROM hrguard.termination_exposure('CS1', '2019-12-01', 8000, 9000);
SELECT * FROM hrguard.termination_exposure('CS1', '2026-12-01', -1, 9000);
SELECT * FROM hrguard.termination_exposure('CS1', '2026-12-01', 1, 0);
SELECT * FROM hrguard.termination_exposure('NOPE', '2026-12-01', 1, 1);
SELECT * FROM hrguard.termination_exposure('CS1', NULL, 1, 1);
SELECT * FROM hrguard.termination_exposure('CS1', 'infinity', 1, 1);
SELECT * FROM hrguard.termination_exposure('CS1', '5874897-12-31', 1, 1);
UPDATE hrguard.employee SET hired_on = '4713-01-01 BC' WHERE employee_id = 'CS4';
SELECT * FROM hrguard.termination_exposure('CS4', '2026-12-01', 1, 1);

DROP OWNED BY regress_case_clerk, regress_case_assistant, regress_case_counsel;
DROP ROLE regress_case_clerk, regress_case_assistant, regress_case_counsel;
-- an actor whose bound role is gone can no longer act
SELECT hrguard.case_transition(:case4, 'cleared', 'counsel');
