-- case.sql -- "make demo": Zhang Wei (S001), the seller seen at the
-- competitor's office, carried from his alerts to a case: verification, an
-- interview, evidence of the other employment, a written notice to correct
-- delivered to him, the ground set, and the draft notice of termination
-- with its evidence list.  Terminating on ground 39(4)(b) must wait until
-- his time to correct is over: case_readiness says what is still missing.
-- demo.sh then exports the case package and verifies it with hrguard-verify.
SET timezone = 'Asia/Shanghai';
SET client_min_messages = warning;

INSERT INTO hrguard.case_actor (actor, display_name, duty)
VALUES ('liu.inv', 'Liu Yang (investigator)', 'investigator'),
	   ('chen.hr', 'Chen Jing (HR business partner)', 'hr'),
	   ('zhou.legal', 'Zhou Min (employee relations counsel)', 'er_legal');

\echo
\echo '== a case for Zhang Wei, opened from his competitor_pattern and scoring alerts'
SELECT hrguard.open_case('S001', 'chen.hr', '连续多日工作时间出现在竞争对手办公地点，业绩与核实工时不匹配',
		ARRAY(SELECT alert_id FROM hrguard.alert
			   WHERE employee_id = 'S001'
				 AND kind = ANY (ARRAY['competitor_pattern', 'hours_mismatch', 'customer_source', 'unlinked_sale'])
			   ORDER BY alert_id)) AS case_id \gset
SELECT hrguard.case_transition(:case_id, 'verifying', 'liu.inv', 'alerts checked against the punches') AS state;
SELECT hrguard.case_transition(:case_id, 'interview', 'liu.inv') AS state;
SELECT hrguard.case_interview(:case_id, 'liu.inv', now(), 'Shanghai office, room 3',
		ARRAY['Liu Yang', 'Chen Jing', 'Zhang Wei'],
		'says the visits were to a friend; declines to name the company that pays his social insurance',
		'signed', repeat('5a', 32)) AS step;
SELECT hrguard.case_transition(:case_id, 'evidence_review', 'liu.inv') AS state;
SELECT hrguard.case_attach_evidence(:case_id, 'liu.inv', 'other_employment',
		'social insurance record: contributions paid by Huayu Trading since August',
		now() - interval '10 days', 'social_insurance_record', repeat('5b', 32)) AS step;
SELECT hrguard.case_transition(:case_id, 'notice_to_correct', 'chen.hr') AS state;
SELECT hrguard.case_notice_to_correct(:case_id, 'chen.hr', now(),
		'工作时间多次出现在竞争对手华宇贸易办公地点，并由其缴纳社会保险',
		'解除与华宇贸易的劳动关系', repeat('5c', 32)) AS step;
SELECT hrguard.case_notice_delivered(:case_id, 'liu.inv', now(), 'signature', 'signed acknowledgement of receipt') AS step;
SELECT hrguard.case_transition(:case_id, 'decision', 'chen.hr') AS state;
SELECT hrguard.case_set_ground(:case_id, '39_4b', 'zhou.legal', 'refused to correct after written notice') AS step;

\echo '== what a termination on each ground still needs (hrguard.case_readiness)'
SELECT ground, requirement, present, detail FROM hrguard.case_readiness(:case_id) ORDER BY ground, requirement;

\echo '== the case''s steps: each is an entry of its custody chain'
SELECT event_no AS step, kind, actor, duty, coalesce(details->>'to', details->>'category', details->>'ground', '') AS what
  FROM hrguard.case_event WHERE case_id = :case_id ORDER BY event_no;
SELECT ok AS custody_chain_ok, entries FROM hrguard.verify_chain('case:' || :case_id);

\echo '== the draft notice of termination (hrguard.termination_notice), its text'
SELECT n->>'status' AS status, n->>'ground' AS ground, jsonb_array_length(n->'evidence') AS evidence_items
  FROM hrguard.termination_notice(:case_id) n;
\pset format unaligned
\pset tuples_only on
SELECT n->>'text_zh' FROM hrguard.termination_notice(:case_id) n;
\pset tuples_only off
\pset format aligned

\echo '== what a wrongful termination would cost (hrguard.termination_exposure, wages as inputs)'
SELECT * FROM hrguard.termination_exposure('S001', current_date, 18000, 12183);
