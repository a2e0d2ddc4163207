-- evidence: per-employee hash chains: appending, the byte layout against
-- PostgreSQL's own sha256(), append-only guards, and tampering detected and
-- named by verify_chain / verify_all.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

INSERT INTO hrguard.employee (employee_id) VALUES ('V1'), ('V2'), ('V3');
SELECT hrguard.record_evidence('V1', 'chat_log',
	'{"file_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "app": "WeChat"}',
	'2026-11-20 10:00+08') AS seq;
SELECT hrguard.record_evidence('V1', 'note', '{"text": "请假条", "pages": 2}', '2026-11-21 10:00+08') AS seq;
SELECT hrguard.record_evidence('V1', 'document', '{"title": "warning letter"}', '2026-11-22 10:00+08') AS seq;
SELECT hrguard.record_evidence('V1', 'note', '{"text": "fourth"}', '2026-11-23 10:00+08') AS seq;
SELECT hrguard.record_evidence('V2', 'note', '{"text": "first of V2"}', '2026-11-22 10:00+08') AS seq;
SELECT hrguard.record_evidence('V3', 'note', '{"text": "first of V3"}', '2026-11-22 10:00+08') AS seq;
SELECT hrguard.record_evidence('V3', 'note', '{"text": "second of V3"}', '2026-11-23 10:00+08') AS seq;

-- what an entry hashes: canonical JSON with a random nonce; event time in
-- microseconds since the Unix epoch
SELECT seq, kind, occurred_at,
	   convert_from(canon, 'UTF8')::jsonb - 'n' - 'rt' AS content,
	   length(convert_from(canon, 'UTF8')::jsonb->>'n') AS nonce_hex_digits,
	   length(leaf) + length(link) AS hash_bytes
  FROM hrguard.evidence WHERE employee_id = 'V1' ORDER BY seq;

-- leaf and link recomputed with PostgreSQL's sha256()
SELECT seq,
	   substring(sha256('\x00'::bytea || canon) FROM 1 FOR 16) = leaf AS leaf_ok,
	   sha256('\x02'::bytea || convert_to('hrguard/v1/link', 'UTF8') || '\x00000002'::bytea
			  || convert_to(employee_id, 'UTF8') || int8send(seq)
			  || coalesce(lag(link) OVER (ORDER BY seq), decode(repeat('00', 32), 'hex'))
			  || sha256('\x00'::bytea || canon)) = link AS link_ok
  FROM hrguard.evidence WHERE employee_id = 'V1' ORDER BY seq;
SELECT h.seq = 4 AND h.head = e.link AS head_is_last_link
  FROM hrguard.chain_head h JOIN hrguard.evidence e USING (employee_id)
 WHERE h.employee_id = 'V1' AND e.seq = 4;

SELECT employee_id, ok, entries, first_bad_seq, reason FROM hrguard.chain_status
 WHERE employee_id LIKE 'V%' ORDER BY 1;

-- append-only, also for a superuser, also as a replica; each with its SQLSTATE
UPDATE hrguard.evidence SET kind = 'edited' WHERE employee_id = 'V1' AND seq = 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.evidence WHERE employee_id = 'V1' AND seq = 4;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.evidence;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.evidence SELECT employee_id, 5, kind, occurred_at, recorded_at, canon, leaf, link
  FROM hrguard.evidence WHERE employee_id = 'V1' AND seq = 4;
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.chain_head SET seq = 0;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.chain_head;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.chain_head;
\echo :LAST_ERROR_SQLSTATE
SET session_replication_role = replica;
DELETE FROM hrguard.evidence WHERE employee_id = 'V1' AND seq = 4;
\echo :LAST_ERROR_SQLSTATE
RESET session_replication_role;

-- bad evidence, one statement each
SELECT hrguard.record_evidence('nobody', 'note', '{}', '2026-11-20 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('V1', 'punch', '{}', '2026-11-20 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('V1', 'Chat Log', '{}', '2026-11-20 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('V1', 'note', '[1, 2]', '2026-11-20 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('V1', 'note', '{"km": 1.5}', '2026-11-20 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('V1', 'note', '{"n": 90071992547409930}', '2026-11-20 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('V1', 'note', '{}', 'infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('V1', 'note', '{}', '2999-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('V1', 'note', '{}', NULL);
\echo :LAST_ERROR_SQLSTATE
-- a failed append leaves no trace: V1 still has 4 entries and verifies
SELECT ok, entries FROM hrguard.verify_chain('V1');

-- a rolled-back append leaves no gap
BEGIN;
SELECT hrguard.record_evidence('V2', 'note', '{"text": "rolled back"}', '2026-11-23 10:00+08') AS seq;
ROLLBACK;
SELECT hrguard.record_evidence('V2', 'note', '{"text": "kept"}', '2026-11-23 11:00+08') AS seq;

-- tampering by a superuser who disables the guards: each detected, named
ALTER TABLE hrguard.evidence DISABLE TRIGGER evidence_guard;
ALTER TABLE hrguard.chain_head DISABLE TRIGGER chain_head_guard;
-- (this file's chains only: the database may hold other files' too)
CREATE TEMP TABLE original AS SELECT * FROM hrguard.evidence WHERE employee_id LIKE 'V%';
CREATE TEMP TABLE original_head AS SELECT * FROM hrguard.chain_head WHERE employee_id LIKE 'V%';
-- each tamper checked by verify_chain (through the primary key) and by
-- verify_all (one pass over the heap): the same verdict
CREATE FUNCTION pg_temp.verify_both(tamper text)
RETURNS TABLE (tamper text, via text, ok boolean, entries bigint, first_bad_seq bigint, reason text)
LANGUAGE sql AS $$
	SELECT tamper, 'verify_chain', c.* FROM hrguard.verify_chain('V1') c
	UNION ALL
	SELECT tamper, 'verify_all', a.ok, a.entries, a.first_bad_seq, a.reason
	  FROM hrguard.verify_all() a WHERE a.employee_id = 'V1'
$$;
CREATE FUNCTION pg_temp.restore() RETURNS void LANGUAGE sql AS $$
	DELETE FROM hrguard.evidence WHERE employee_id LIKE 'V%';
	INSERT INTO hrguard.evidence SELECT * FROM original;
	DELETE FROM hrguard.chain_head WHERE employee_id LIKE 'V%';
	INSERT INTO hrguard.chain_head SELECT * FROM original_head;
$$;

-- the content of an entry is edited
UPDATE hrguard.evidence SET canon = convert_to(replace(convert_from(canon, 'UTF8'), 'warning letter', 'thank-you letter'), 'UTF8')
 WHERE employee_id = 'V1' AND seq = 3;
SELECT * FROM pg_temp.verify_both('edit canon');
SELECT pg_temp.restore();
-- an entry is deleted
DELETE FROM hrguard.evidence WHERE employee_id = 'V1' AND seq = 2;
SELECT * FROM pg_temp.verify_both('delete entry');
SELECT pg_temp.restore();
-- two entries swap places
UPDATE hrguard.evidence SET seq = -seq WHERE employee_id = 'V1' AND seq IN (2, 3);
UPDATE hrguard.evidence SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END
 WHERE employee_id = 'V1' AND seq < 0;
SELECT * FROM pg_temp.verify_both('swap entries');
SELECT pg_temp.restore();
-- a back-dated entry is slipped in after seq 1, the later ones moved up
UPDATE hrguard.evidence SET seq = -(seq + 1) WHERE employee_id = 'V1' AND seq >= 2;
UPDATE hrguard.evidence SET seq = -seq WHERE employee_id = 'V1' AND seq < 0;
INSERT INTO hrguard.evidence
SELECT employee_id, 2, 'note', '2026-11-20 12:00+08', recorded_at,
	   convert_to('{"e":"V1","k":"note","p":{"text":"he was at a client"},"v":1}', 'UTF8'), leaf, link
  FROM original WHERE employee_id = 'V1' AND seq = 1;
SELECT * FROM pg_temp.verify_both('insert back-dated');
SELECT pg_temp.restore();
-- a link is rewritten
UPDATE hrguard.evidence SET link = sha256(link) WHERE employee_id = 'V1' AND seq = 2;
SELECT * FROM pg_temp.verify_both('edit link');
SELECT pg_temp.restore();
-- the last entry is deleted, or the head moved back
DELETE FROM hrguard.evidence WHERE employee_id = 'V1' AND seq = 4;
SELECT * FROM pg_temp.verify_both('delete last');
SELECT pg_temp.restore();
UPDATE hrguard.chain_head SET head = sha256(head) WHERE employee_id = 'V1';
SELECT * FROM pg_temp.verify_both('edit head');
SELECT pg_temp.restore();
-- an entry deleted and written back unchanged: it now lies after the later
-- ones in the heap, which one pass over it reads before their turn; the
-- chain holds
DELETE FROM hrguard.evidence WHERE employee_id = 'V1' AND seq = 1;
INSERT INTO hrguard.evidence SELECT * FROM original WHERE employee_id = 'V1' AND seq = 1;
SELECT * FROM pg_temp.verify_both('moved in the heap');
SELECT pg_temp.restore();
-- a whole chain deleted, its head left
DELETE FROM hrguard.evidence WHERE employee_id = 'V3';
SELECT employee_id, ok, entries, first_bad_seq, reason FROM hrguard.verify_all()
 WHERE employee_id LIKE 'V%' ORDER BY 1;
SELECT pg_temp.restore();
SELECT employee_id, ok, entries, first_bad_seq, reason FROM hrguard.verify_all()
 WHERE employee_id LIKE 'V%' ORDER BY 1;

ALTER TABLE hrguard.evidence ENABLE ALWAYS TRIGGER evidence_guard;
ALTER TABLE hrguard.chain_head ENABLE ALWAYS TRIGGER chain_head_guard;

-- closing a day: each chain gets an entry counting that local day's entries
-- (every employee employed that day is closed, also other files' in the
-- database: the count is compared with theirs, and this file's are shown)
INSERT INTO hrguard.employee (employee_id, left_on) VALUES ('V9', '2026-11-01');
SELECT count(*) AS employed FROM hrguard.employee e
 WHERE (hired_on IS NULL OR hired_on <= '2026-11-22') AND (left_on IS NULL OR left_on >= '2026-11-22')
   AND NOT EXISTS (SELECT FROM hrguard.day_close c WHERE c.employee_id = e.employee_id AND c.day = '2026-11-22') \gset
SELECT hrguard.close_day('2026-11-22') = :employed AS every_employed_chain_closed;
SELECT hrguard.close_day('2026-11-22') AS closed_again;
SELECT employee_id, seq, kind, occurred_at,
	   convert_from(canon, 'UTF8')::jsonb -> 'p' AS payload
  FROM hrguard.evidence WHERE kind = 'day_close' AND employee_id LIKE 'V%' ORDER BY employee_id;
SELECT employee_id, day, seq FROM hrguard.day_close WHERE employee_id LIKE 'V%' ORDER BY employee_id;
-- something recorded for a closed day afterwards shows up as late
SELECT hrguard.record_evidence('V1', 'note', '{"text": "written after the day was closed"}', '2026-11-22 18:00+08') AS seq;
SELECT employee_id, seq, kind, closed_day, close_seq FROM hrguard.late_evidence
 WHERE employee_id LIKE 'V%' ORDER BY 1, 2;
-- days closed out of order: a day's closing entry, dated at the start of
-- the next day, is not late for that day
SELECT hrguard.close_day('2026-11-24') > 0 AS closed_24th, hrguard.close_day('2026-11-23') > 0 AS closed_23rd;
SELECT employee_id, seq, kind, closed_day, close_seq FROM hrguard.late_evidence
 WHERE employee_id LIKE 'V%' ORDER BY 1, 2;
-- the record of closed days is append-only too
DELETE FROM hrguard.day_close WHERE employee_id = 'V1';
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.day_close SET seq = 1;
\echo :LAST_ERROR_SQLSTATE
SELECT employee_id, ok, entries FROM hrguard.verify_all() WHERE employee_id LIKE 'V%' ORDER BY 1;
SELECT hrguard.close_day('infinity');
\echo :LAST_ERROR_SQLSTATE

-- many appends to one chain in one transaction, a subtransaction rolled
-- back in between, another chain interleaved: no gap, no fork (entries of
-- some 350 bytes, so that 300 of them take far more than 64kB below)
INSERT INTO hrguard.employee (employee_id) VALUES ('V7'), ('V8');
BEGIN;
SELECT count(hrguard.record_evidence('V7', 'note', jsonb_build_object('i', i, 'text', repeat('x', 200)), '2026-11-20 10:00+08')) FROM generate_series(1, 300) AS i;
SAVEPOINT before_mistake;
SELECT hrguard.record_evidence('V7', 'note', '{"text": "rolled back"}', '2026-11-20 11:00+08') AS seq;
ROLLBACK TO before_mistake;
SELECT hrguard.record_evidence('V8', 'note', '{"text": "other chain"}', '2026-11-20 11:00+08') AS seq;
SELECT hrguard.record_evidence('V7', 'note', '{"text": "after the rollback"}', '2026-11-20 12:00+08') AS seq;
COMMIT;
SELECT employee_id, ok, entries FROM hrguard.verify_all() WHERE employee_id IN ('V7', 'V8') ORDER BY 1;
-- V7's first entry written again behind the others: verify_all keeps the
-- 300 entries read before their turn; with work_mem at its least they do
-- not fit, and V7 is walked through the primary key instead.  The table
-- is compacted first, so that the entry cannot land in space freed by
-- rolled-back entries of earlier tests, wherever autovacuum has been.
VACUUM FULL hrguard.evidence;
BEGIN;
ALTER TABLE hrguard.evidence DISABLE TRIGGER evidence_guard;
CREATE TEMP TABLE v7_first AS SELECT * FROM hrguard.evidence WHERE employee_id = 'V7' AND seq = 1;
DELETE FROM hrguard.evidence WHERE employee_id = 'V7' AND seq = 1;
INSERT INTO hrguard.evidence SELECT * FROM v7_first;
ALTER TABLE hrguard.evidence ENABLE ALWAYS TRIGGER evidence_guard;
COMMIT;
SELECT (SELECT ctid FROM hrguard.evidence WHERE employee_id = 'V7' AND seq = 1)
	   > (SELECT max(ctid) FROM hrguard.evidence WHERE employee_id = 'V7' AND seq > 1) AS first_entry_last;
-- (the count of chains in the messages is of every chain in the table:
-- other files' chains are set aside for it, in a transaction rolled back)
BEGIN;
ALTER TABLE hrguard.evidence DISABLE TRIGGER evidence_guard;
DELETE FROM hrguard.evidence WHERE employee_id NOT LIKE 'V%';
SET client_min_messages = debug1;
SELECT employee_id, ok, entries FROM hrguard.verify_all() WHERE employee_id IN ('V7', 'V8') ORDER BY 1;
SET work_mem = '64kB';
SELECT employee_id, ok, entries FROM hrguard.verify_all() WHERE employee_id IN ('V7', 'V8') ORDER BY 1;
RESET work_mem;
SET client_min_messages = warning;
ROLLBACK;
SELECT seq, convert_from(canon, 'UTF8')::jsonb #> '{p,i}' AS i,
	   left(convert_from(canon, 'UTF8')::jsonb #>> '{p,text}', 20) AS text
  FROM hrguard.evidence WHERE employee_id = 'V7' AND seq >= 300 ORDER BY seq;

-- numbers in a payload follow one rule, however written: 1e2 and 100.0 are
-- both recorded as 100, 1.0 as 1; 1.5 is refused (above)
INSERT INTO hrguard.employee (employee_id) VALUES ('W1');
SELECT hrguard.record_evidence('W1', 'note', '{"a": 1e2, "b": 100.0, "c": 1.0, "d": -0.0}', '2026-11-20 10:00+08') AS seq;
SELECT convert_from(canon, 'UTF8')::jsonb -> 'p' AS payload
  FROM hrguard.evidence WHERE employee_id = 'W1';
SELECT ok FROM hrguard.verify_chain('W1');
