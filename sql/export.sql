-- export: hrguard.export_evidence() packages, checked field by field with
-- SQL alone, and its errors.  (test/t/006 runs hrguard-verify on packages.)
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'UTC';

INSERT INTO hrguard.employee (employee_id) VALUES ('X1'), ('X2');
SELECT hrguard.record_evidence('X1', 'note', jsonb_build_object('n', i),
							   '2026-11-20 00:00+00'::timestamptz + i * interval '1 day') AS seq
  FROM generate_series(1, 4) AS i;

-- entries of 21..23 November: seq 1..3, and seq 4 (24 November) just after
-- them, which shows that the range ends there
SELECT hrguard.export_evidence('X1', '2026-11-21', '2026-11-24') AS package \gset
CREATE TEMP TABLE package AS SELECT :'package'::json AS p;
SELECT p ->> 'format' AS format, p ->> 'employee_id' AS employee_id, p -> 'range' AS range,
	   p -> 'exported' ->> 'by' = current_user AS exported_by_me, (p -> 'exported' ->> 'export_seq')::bigint AS export_seq,
	   p -> 'manifest' ->> 'entries' AS entries, p -> 'manifest' ->> 'first_seq' AS first_seq,
	   p -> 'manifest' ->> 'last_seq' AS last_seq
  FROM package;
-- every entry: the exact canon bytes and the link as stored
SELECT (e ->> 'seq')::bigint AS seq,
	   decode(e ->> 'canon', 'base64') = v.canon AS canon_exact,
	   decode(e ->> 'link', 'hex') = v.link AS link_as_stored
  FROM package, json_array_elements(p -> 'entries') AS e
  JOIN hrguard.evidence v ON v.employee_id = 'X1' AND v.seq = (e ->> 'seq')::bigint
 ORDER BY 1;
SELECT p ->> 'previous_link' = repeat('0', 64) AS starts_the_chain,
	   decode(p -> 'manifest' ->> 'last_link', 'hex') = (SELECT link FROM hrguard.evidence WHERE employee_id = 'X1' AND seq = 4) AS last_link,
	   decode(p -> 'manifest' ->> 'canon_sha256', 'hex')
		   = sha256((SELECT string_agg(canon, '' ORDER BY seq) FROM hrguard.evidence WHERE employee_id = 'X1' AND seq <= 4)) AS canon_sha256
  FROM package;
-- a new checkpoint was taken, and the proof is the log's own
SELECT c.body = p -> 'checkpoint' ->> 'body' AS checkpoint_stored,
	   (p -> 'checkpoint' ->> 'tree_size')::bigint = c.tree_size AS tree_size,
	   p -> 'checkpoint' ->> 'root' = encode(c.root, 'hex') AS root
  FROM package, hrguard.log_checkpoint c
 WHERE c.tree_size = (p -> 'checkpoint' ->> 'tree_size')::bigint;
SELECT (p -> 'inclusion' ->> 'seq')::bigint AS proven_seq,
	   (p -> 'inclusion' ->> 'log_index')::bigint = i.log_index AS log_index,
	   decode(p -> 'inclusion' ->> 'leaf_hash', 'hex') = i.leaf_hash AS leaf_hash,
	   ARRAY(SELECT decode(h, 'hex') FROM json_array_elements_text(p -> 'inclusion' -> 'proof') AS h) = i.proof AS proof
  FROM package, hrguard.inclusion_proof('X1', 4, (p -> 'checkpoint' ->> 'tree_size')::bigint) AS i;
-- the chain's head under the checkpoint, and its leaf in the heads tree,
-- recomputed with sha256() and merkle_root() over the log's heads
SELECT (p -> 'head' ->> 'seq')::bigint AS head_seq,
	   decode(p -> 'head' ->> 'link', 'hex') = (SELECT link FROM hrguard.evidence WHERE employee_id = 'X1' AND seq = 4) AS head_link,
	   (p -> 'head' ->> 'heads')::bigint = c.heads AS heads,
	   hrguard.merkle_root(ARRAY(
		   SELECT sha256('\x00'::bytea || convert_to('hrguard/v2/head', 'UTF8')
						 || int4send(octet_length(convert_to(h.employee_id, 'UTF8')))
						 || convert_to(h.employee_id, 'UTF8') || int8send(h.seq) || e.link)
			 FROM (SELECT employee_id, max(seq) AS seq, min(log_index) AS first FROM hrguard.log_entry
					WHERE log_index < c.tree_size GROUP BY employee_id) h
			 JOIN hrguard.evidence e USING (employee_id, seq)
			ORDER BY h.first)) = c.heads_root AS heads_root_recomputed
  FROM package, hrguard.log_checkpoint c
 WHERE c.tree_size = (p -> 'checkpoint' ->> 'tree_size')::bigint;
-- the export is an entry of the chain, and the chain still verifies
SELECT seq, kind, (convert_from(canon, 'UTF8')::jsonb -> 'p') - 'by' - 'session_user' - 'tree_size' AS payload,
	   (convert_from(canon, 'UTF8')::jsonb -> 'p' ->> 'tree_size') = p -> 'checkpoint' ->> 'tree_size' AS tree_size
  FROM hrguard.evidence, package WHERE employee_id = 'X1' AND kind = 'export';
SELECT ok, entries FROM hrguard.verify_chain('X1');

-- a later package against the earlier checkpoint; a range in the middle
-- (seq 3) starts with the entry just before it (seq 2), from the link
-- before that
SELECT q ->> 'previous_link' = encode((SELECT link FROM hrguard.evidence WHERE employee_id = 'X1' AND seq = 1), 'hex')
		   AS middle_previous,
	   ARRAY(SELECT (e ->> 'seq')::int FROM json_array_elements(q -> 'entries') AS e) AS seqs
  FROM package, hrguard.export_evidence('X1', '2026-11-23', '2026-11-24', p -> 'checkpoint' ->> 'body') AS q;
-- a checkpoint body given with a blank line after it, or without its last
-- LF, is the same body; one with CR LF line ends is not a body (22P02)
SELECT (hrguard.export_evidence('X1', '2026-11-23', '2026-11-24', (p -> 'checkpoint' ->> 'body') || E'\n\n')
			-> 'checkpoint' ->> 'body') = p -> 'checkpoint' ->> 'body' AS trailing_lines_ignored,
	   (hrguard.export_evidence('X1', '2026-11-23', '2026-11-24', rtrim(p -> 'checkpoint' ->> 'body', E'\n'))
			-> 'checkpoint' ->> 'body') = p -> 'checkpoint' ->> 'body' AS last_lf_optional
  FROM package;
SELECT hrguard.export_evidence('X1', '2026-11-23', '2026-11-24', replace(p -> 'checkpoint' ->> 'body', E'\n', E'\r\n'))
  FROM package;
\echo :LAST_ERROR_SQLSTATE
-- a checkpoint of another version (0A000), or of version 1, which commits
-- to no heads (22023: it names the version)
SELECT hrguard.export_evidence('X1', '-infinity', 'infinity', replace(p -> 'checkpoint' ->> 'body', '/v2/', '/v3/'))
  FROM package;
\echo :LAST_ERROR_SQLSTATE
-- a checkpoint of version 1 (one restored from before heads existed)
-- commits to no chain heads: refused naming its version (22023)
BEGIN;
ALTER TABLE hrguard.log_checkpoint DISABLE TRIGGER log_checkpoint_guard;
INSERT INTO hrguard.log_checkpoint (tree_size, root, created_at, body)
SELECT max(tree_size) + 1000, '\x00', now(),
	   E'hrguard/v1/checkpoint\nsize ' || (max(tree_size) + 1000) || E'\nroot ' || repeat('0', 64)
	   || E'\ntime 2026-11-01T00:00:00.000000Z\nprevious none\n'
  FROM hrguard.log_checkpoint
RETURNING body AS v1_body \gset
SELECT hrguard.export_evidence('X1', '-infinity', 'infinity', :'v1_body');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- "since" later than "checkpoint", or not of this log, is named (22023)
SELECT hrguard.export_evidence('X1', '-infinity', 'infinity', p -> 'checkpoint' ->> 'body', hrguard.checkpoint())
  FROM package;
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence('X1', '-infinity', 'infinity', NULL,
	regexp_replace(p -> 'checkpoint' ->> 'body', 'root [0-9a-f]{64}', 'root ' || repeat('ab', 32)))
  FROM package;
\echo :LAST_ERROR_SQLSTATE
-- a body whose time is no time of the calendar is not a body (22P02)
SELECT hrguard.export_evidence('X1', '-infinity', 'infinity',
	regexp_replace(p -> 'checkpoint' ->> 'body', 'time [0-9]{4}-[0-9]{2}', 'time 2026-13'))
  FROM package;
\echo :LAST_ERROR_SQLSTATE
-- verify_checkpoint of a body whose time line was changed: the log gives
-- its root, but hrguard issued another body for that size
SELECT ok, reason ~ '^the body differs from the one hrguard issued' AS says_so
  FROM package, hrguard.verify_checkpoint(regexp_replace(p -> 'checkpoint' ->> 'body', 'time 2', 'time 1'));
-- proven against a new checkpoint, consistent with the first one
SELECT (q -> 'consistency' ->> 'old_size')::bigint = (p -> 'checkpoint' ->> 'tree_size')::bigint AS old_size,
	   q -> 'consistency' ->> 'old_root' = p -> 'checkpoint' ->> 'root' AS old_root,
	   ARRAY(SELECT decode(h, 'hex') FROM json_array_elements_text(q -> 'consistency' -> 'proof') AS h)
		   = hrguard.consistency_proof((p -> 'checkpoint' ->> 'tree_size')::bigint,
									   (q -> 'checkpoint' ->> 'tree_size')::bigint) AS proof
  FROM package, hrguard.export_evidence('X1', '2026-11-21', '2026-11-24', NULL, p -> 'checkpoint' ->> 'body') AS q;
-- an unbounded range takes the whole chain, exports included
SELECT json_array_length(hrguard.export_evidence('X1') -> 'entries') AS whole_chain,
	   hrguard.export_evidence('X1') -> 'range' AS unbounded;

-- against the first checkpoint, the whole chain is what it held then:
-- seq 1..4 (everything after joined the log later)
SELECT json_array_length(hrguard.export_evidence('X1', '-infinity', 'infinity', p -> 'checkpoint' ->> 'body') -> 'entries')
		   AS entries_under_first_checkpoint
  FROM package;

-- an entry recorded late (seq 3 occurred on 5 November, after seq 2 of 20
-- November): a range of 4..10 November reaches back to the nearest entry
-- that occurred before it (seq 1) and on to the nearest after it (seq 4)
INSERT INTO hrguard.employee (employee_id) VALUES ('X3');
SELECT hrguard.record_evidence('X3', 'note', jsonb_build_object('day', d), ('2026-11-' || d || ' 12:00+00')::timestamptz)
  FROM unnest(ARRAY[1, 20, 5, 25]) AS d;
SELECT ARRAY(SELECT (e ->> 'seq')::int FROM json_array_elements(q -> 'entries') AS e) AS seqs,
	   (q -> 'head' ->> 'seq')::int AS head
  FROM hrguard.export_evidence('X3', '2026-11-04', '2026-11-10') AS q;

-- errors, each with its SQLSTATE, and nothing recorded
SELECT hrguard.record_evidence('X1', 'note', '{"text": "later"}', '2026-11-26 12:00+00') AS seq;
SELECT hrguard.checkpoint() IS NOT NULL AS checkpoint_taken;
SELECT count(*) AS entries_before FROM hrguard.evidence WHERE employee_id = 'X1' \gset
SELECT hrguard.export_evidence('nobody');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence('X2');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence('X1', '2026-11-23', '2026-11-21');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence('X1', NULL, '2026-11-21');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence('X1', '-infinity', 'infinity', 'not a checkpoint');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence('X1', '-infinity', 'infinity',
	E'hrguard/v1/checkpoint\nsize 1\nroot ' || repeat('0', 64) || E'\n');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence('X1', '-infinity', 'infinity', NULL, 'not a checkpoint');
\echo :LAST_ERROR_SQLSTATE
-- a range whose entries all joined the log after the first checkpoint has
-- nothing under it
\set VERBOSITY sqlstate
SELECT hrguard.export_evidence('X1', '2026-11-26', '2026-11-27', p -> 'checkpoint' ->> 'body') FROM package;
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY terse
SELECT :'LAST_ERROR_MESSAGE' = 'employee "X1" has no evidence in that range under the checkpoint' AS message_ok;
SELECT count(*) = :entries_before AS nothing_recorded FROM hrguard.evidence WHERE employee_id = 'X1';
-- a chain with a hole in it is not exported (data corrupted), nor recorded
ALTER TABLE hrguard.evidence DISABLE TRIGGER evidence_guard;
BEGIN;
DELETE FROM hrguard.evidence WHERE employee_id = 'X1' AND seq = 2;
SELECT hrguard.export_evidence('X1', '2026-11-21', '2026-11-24');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- nor one whose entry no longer matches its link
BEGIN;
UPDATE hrguard.evidence SET canon = canon || '\x20'::bytea WHERE employee_id = 'X1' AND seq = 3;
SELECT hrguard.export_evidence('X1', '2026-11-21', '2026-11-24');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
ALTER TABLE hrguard.evidence ENABLE ALWAYS TRIGGER evidence_guard;
SELECT count(*) = :entries_before AS nothing_recorded FROM hrguard.evidence WHERE employee_id = 'X1';
-- nor one proven consistent with an earlier checkpoint whose leaves the
-- log no longer holds (the last leaf of that checkpoint, which no stored
-- subtree head covers); consistency_proof warns of it
ALTER TABLE hrguard.log_entry DISABLE TRIGGER log_entry_guard;
SELECT (p -> 'checkpoint' ->> 'tree_size')::bigint - 1 AS changed_leaf FROM package \gset
BEGIN;
UPDATE hrguard.log_entry SET leaf_hash = sha256(leaf_hash) WHERE log_index = :changed_leaf;
DO $$
BEGIN
	PERFORM hrguard.export_evidence('X1', '2026-11-21', '2026-11-22', NULL, p -> 'checkpoint' ->> 'body')
	   FROM package;
EXCEPTION WHEN data_corrupted THEN
	RAISE WARNING '% (%)', regexp_replace(SQLERRM, '[0-9]+', 'N', 'g'), SQLSTATE;
END
$$;
ROLLBACK;
\set VERBOSITY sqlstate
BEGIN;
UPDATE hrguard.log_entry SET leaf_hash = sha256(leaf_hash) WHERE log_index = :changed_leaf;
SELECT cardinality(hrguard.consistency_proof((p -> 'checkpoint' ->> 'tree_size')::bigint,
											 (SELECT max(tree_size) FROM hrguard.log_checkpoint))) > 0 AS proof_given
  FROM package;
ROLLBACK;
\set VERBOSITY terse
ALTER TABLE hrguard.log_entry ENABLE ALWAYS TRIGGER log_entry_guard;
SELECT count(*) = :entries_before AS nothing_recorded FROM hrguard.evidence WHERE employee_id = 'X1';
-- only roles granted it may export
CREATE ROLE hrguard_export_reader;
GRANT USAGE ON SCHEMA hrguard TO hrguard_export_reader;
SET ROLE hrguard_export_reader;
SELECT hrguard.export_evidence('X1');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
REVOKE USAGE ON SCHEMA hrguard FROM hrguard_export_reader;
DROP ROLE hrguard_export_reader;
