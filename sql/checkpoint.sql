-- checkpoint: the Merkle log over all evidence entries, checkpoint bodies,
-- proofs against the pure Merkle functions, guards, errors, and a chain
-- rewritten consistently after a checkpoint, which verify_chain cannot see
-- but verify_checkpoint does.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'UTC';

INSERT INTO hrguard.employee (employee_id) VALUES ('K1'), ('K2');
SELECT hrguard.record_evidence('K1', 'note', '{"text": "first of K1"}', '2026-11-20 10:00+08') AS seq;
SELECT hrguard.record_evidence('K1', 'document', '{"title": "visit report"}', '2026-11-21 10:00+08') AS seq;
SELECT hrguard.record_evidence('K2', 'note', '{"text": "first of K2"}', '2026-11-21 11:00+08') AS seq;

-- the first checkpoint logs every entry so far; its body has seven lines
SELECT hrguard.checkpoint() AS body1 \gset
SELECT :'body1' ~ ('^hrguard/v2/checkpoint\nsize [0-9]+\nroot [0-9a-f]{64}\nheads [0-9]+\nheads_root [0-9a-f]{64}\n'
				   'time [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{15}Z\nprevious none\n$') AS body_shape,
	   substring(:'body1' FROM 'size ([0-9]+)')::bigint = (SELECT count(*) FROM hrguard.evidence) AS logs_every_entry,
	   (SELECT count(*) FROM hrguard.log_entry) = (SELECT count(*) FROM hrguard.evidence) AS log_rows;
-- nothing new: the same checkpoint again
SELECT hrguard.checkpoint() = :'body1' AS unchanged;

-- the stored leaf of an entry, recomputed with PostgreSQL's sha256()
SELECT l.seq,
	   l.leaf_hash = sha256('\x00'::bytea || convert_to('hrguard/v1/logent', 'UTF8')
							|| '\x00000002'::bytea || convert_to(l.employee_id, 'UTF8')
							|| int8send(l.seq) || e.link) AS leaf_ok
  FROM hrguard.log_entry l JOIN hrguard.evidence e USING (employee_id, seq)
 WHERE l.employee_id = 'K1' ORDER BY l.seq;
-- K1/1 was recorded first, so it was logged first of the three
SELECT (SELECT log_index FROM hrguard.log_entry WHERE employee_id = 'K1' AND seq = 1)
	 < (SELECT log_index FROM hrguard.log_entry WHERE employee_id = 'K2' AND seq = 1) AS recorded_order;

-- more evidence, a second checkpoint: it names the first by its hash
SELECT hrguard.record_evidence('K2', 'note', '{"text": "second of K2"}', '2026-11-22 11:00+08') AS seq;
SELECT hrguard.record_evidence('K1', 'note', '{"text": "third of K1"}', '2026-11-22 12:00+08') AS seq;
SELECT hrguard.checkpoint() AS body2 \gset
SELECT substring(:'body1' FROM 'size ([0-9]+)')::bigint AS size1,
	   substring(:'body2' FROM 'size ([0-9]+)')::bigint AS size2 \gset
SELECT :size2 - :size1 AS grew_by,
	   substring(:'body2' FROM 'previous ([0-9a-f]+)') = encode(sha256(convert_to(:'body1', 'UTF8')), 'hex') AS names_previous;
-- (the sizes depend on what the log held before this file; they are shown
-- by name: first, second)
SELECT CASE tree_size WHEN :size1 THEN 'first' ELSE 'second' END AS checkpoint,
	   body = CASE tree_size WHEN :size1 THEN :'body1' ELSE :'body2' END AS body_stored,
	   encode(root, 'hex') = substring(body FROM 'root ([0-9a-f]+)') AS root_stored
  FROM hrguard.log_checkpoint WHERE tree_size IN (:size1, :size2) ORDER BY tree_size;

-- roots and proofs agree with the pure Merkle functions over the stored leaves
CREATE FUNCTION pg_temp.leaves(n bigint) RETURNS bytea[] LANGUAGE sql AS
	$$ SELECT array_agg(leaf_hash ORDER BY log_index) FROM hrguard.log_entry WHERE log_index < n $$;
SELECT CASE c.tree_size WHEN :size1 THEN 'first' ELSE 'second' END AS checkpoint,
	   c.root = hrguard.merkle_root(pg_temp.leaves(c.tree_size)) AS root_ok
  FROM hrguard.log_checkpoint c WHERE tree_size IN (:size1, :size2) ORDER BY c.tree_size;
SELECT p.log_index = l.log_index AS index_ok, p.leaf_hash = l.leaf_hash AS leaf_ok,
	   p.proof = hrguard.merkle_inclusion_proof(pg_temp.leaves(:size2), l.log_index) AS proof_ok,
	   p.root = hrguard.merkle_root(pg_temp.leaves(:size2)) AS root_ok
  FROM hrguard.inclusion_proof('K1', 1, :size2) p,
	   hrguard.log_entry l WHERE l.employee_id = 'K1' AND l.seq = 1;
SELECT (hrguard.inclusion_proof('K1', 1, :size1)).root = decode(substring(:'body1' FROM 'root ([0-9a-f]+)'), 'hex')
	AS proof_in_first_tree;
SELECT hrguard.consistency_proof(:size1, :size2)
	 = hrguard.merkle_consistency_proof(pg_temp.leaves(:size2), :size1) AS consistency_ok;
SELECT hrguard.consistency_proof(:size2, :size2) = '{}' AS same_size_empty;

-- both checkpoints hold against the chains as they are
SELECT ok, tree_size = :size1 AS first, reason FROM hrguard.verify_checkpoint(:'body1');
SELECT ok, reason FROM hrguard.verify_checkpoint(:'body2');

-- bad requests, each with its SQLSTATE
SELECT hrguard.record_evidence('K2', 'note', '{"text": "not logged yet"}', '2026-11-23 11:00+08') AS seq;
SELECT * FROM hrguard.inclusion_proof('K2', 3, :size2);
\echo :LAST_ERROR_SQLSTATE
-- (errors that name log sizes and positions, which depend on what the log
-- held before this file, are compared with the message expected, not shown)
\set VERBOSITY sqlstate
SELECT * FROM hrguard.inclusion_proof('K1', 3, :size1);
\echo :LAST_ERROR_SQLSTATE
SELECT :'LAST_ERROR_MESSAGE' = format('evidence entry K1/3 is log entry %s, beyond a tree of %s',
	(SELECT log_index FROM hrguard.log_entry WHERE employee_id = 'K1' AND seq = 3), :size1) AS message_ok;
\set VERBOSITY terse
SELECT * FROM hrguard.inclusion_proof('K1', 1, 0);
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY sqlstate
SELECT * FROM hrguard.inclusion_proof('K1', 1, :size2 + 1);
\echo :LAST_ERROR_SQLSTATE
SELECT :'LAST_ERROR_MESSAGE' = format('tree size %s is not a size of the evidence log', :size2 + 1) AS message_ok;
SELECT hrguard.consistency_proof(:size2, :size1);
\echo :LAST_ERROR_SQLSTATE
SELECT :'LAST_ERROR_MESSAGE' = format('no consistency proof from %s to %s leaves', :size2, :size1) AS message_ok;
SELECT hrguard.consistency_proof(0, :size1);
\echo :LAST_ERROR_SQLSTATE
SELECT :'LAST_ERROR_MESSAGE' = format('no consistency proof from 0 to %s leaves', :size1) AS message_ok;
\set VERBOSITY terse
SELECT * FROM hrguard.verify_checkpoint('size 3\nroot 00');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.verify_checkpoint(E'hrguard/v1/checkpoint\nsize 3x\nroot ' || repeat('0', 64) || E'\n');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.verify_checkpoint(E'hrguard/v1/checkpoint\nsize 3\nroot ' || repeat('0', 65) || E'\n');
\echo :LAST_ERROR_SQLSTATE
-- a checkpoint from a longer log than this one, or with another root
SELECT ok, tree_size = :size2 + 1000 AS claimed_size,
	   reason = format('the log has fewer than %s entries', :size2 + 1000) AS fewer_entries
  FROM hrguard.verify_checkpoint(replace(:'body2', 'size ' || :size2, 'size ' || :size2 + 1000));
SELECT ok, tree_size = :size2 AS same_size, reason
  FROM hrguard.verify_checkpoint(regexp_replace(:'body2', 'root [0-9a-f]{64}', 'root ' || repeat('ab', 32)));

-- the log and the checkpoints are append-only, also for a superuser
UPDATE hrguard.log_entry SET leaf_hash = sha256(leaf_hash) WHERE log_index = 0;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.log_entry;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.log_checkpoint;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.log_checkpoint VALUES (0, '\x00', now(), 'forged');
\echo :LAST_ERROR_SQLSTATE
-- and only those granted it may take a checkpoint
CREATE ROLE hrguard_ck_reader;
GRANT USAGE ON SCHEMA hrguard TO hrguard_ck_reader;
SET ROLE hrguard_ck_reader;
SELECT hrguard.checkpoint();
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM hrguard.log_entry;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
REVOKE USAGE ON SCHEMA hrguard FROM hrguard_ck_reader;
DROP ROLE hrguard_ck_reader;

-- a superuser disables the guards and rewrites K1's chain from seq 2 on,
-- consistently: every leaf, link and the head recomputed
ALTER TABLE hrguard.evidence DISABLE TRIGGER evidence_guard;
ALTER TABLE hrguard.chain_head DISABLE TRIGGER chain_head_guard;
CREATE TEMP TABLE original AS SELECT * FROM hrguard.evidence WHERE employee_id = 'K1';
CREATE TEMP TABLE original_head AS SELECT * FROM hrguard.chain_head WHERE employee_id = 'K1';
UPDATE hrguard.evidence
   SET canon = convert_to(replace(convert_from(canon, 'UTF8'), 'visit report', 'holiday'), 'UTF8')
 WHERE employee_id = 'K1' AND seq = 2;
CREATE FUNCTION pg_temp.link(prev bytea, e hrguard.evidence) RETURNS bytea LANGUAGE sql AS $$
	SELECT sha256('\x02'::bytea || convert_to('hrguard/v1/link', 'UTF8') || '\x00000002'::bytea
				  || convert_to(e.employee_id, 'UTF8') || int8send(e.seq) || prev
				  || sha256('\x00'::bytea || e.canon))
$$;
DO $$
DECLARE
	e hrguard.evidence;
	prev bytea;
BEGIN
	SELECT link INTO prev FROM hrguard.evidence WHERE employee_id = 'K1' AND seq = 1;
	FOR e IN SELECT * FROM hrguard.evidence WHERE employee_id = 'K1' AND seq >= 2 ORDER BY seq LOOP
		prev := pg_temp.link(prev, e);
		UPDATE hrguard.evidence
		   SET leaf = substring(sha256('\x00'::bytea || e.canon) FROM 1 FOR 16), link = prev
		 WHERE employee_id = e.employee_id AND seq = e.seq;
	END LOOP;
	UPDATE hrguard.chain_head SET head = prev WHERE employee_id = 'K1';
END
$$;
SELECT 'rewritten' AS chain, ok, entries, first_bad_seq, reason FROM hrguard.verify_chain('K1');
SELECT ok, tree_size = :size1 AS first,
	   regexp_replace(reason, 'log entry [0-9]+', 'log entry N') AS reason
  FROM hrguard.verify_checkpoint(:'body1');
SELECT ok, tree_size = :size2 AS second,
	   regexp_replace(reason, 'log entry [0-9]+', 'log entry N') AS reason
  FROM hrguard.verify_checkpoint(:'body2');
-- and no package is made of it: every link checks, the log does not
SELECT hrguard.export_evidence('K1', '-infinity', 'infinity', :'body2');
\echo :LAST_ERROR_SQLSTATE
-- put back as it was
CREATE FUNCTION pg_temp.restore() RETURNS void LANGUAGE sql AS $$
	DELETE FROM hrguard.evidence WHERE employee_id = 'K1';
	INSERT INTO hrguard.evidence SELECT * FROM original;
	UPDATE hrguard.chain_head h SET seq = o.seq, head = o.head FROM original_head o WHERE h.employee_id = o.employee_id;
$$;
SELECT pg_temp.restore();
-- the last entry of a chain, logged, then deleted with the head moved back
DELETE FROM hrguard.evidence WHERE employee_id = 'K1' AND seq = 3;
UPDATE hrguard.chain_head SET seq = 2, head = (SELECT link FROM original WHERE seq = 2)
 WHERE employee_id = 'K1';
SELECT 'cut short' AS chain, ok, entries, first_bad_seq, reason FROM hrguard.verify_chain('K1');
SELECT ok, regexp_replace(reason, 'log entry [0-9]+', 'log entry N') AS reason
  FROM hrguard.verify_checkpoint(:'body2');
SELECT pg_temp.restore();
-- the chain and the checkpoints hold again
ALTER TABLE hrguard.evidence ENABLE ALWAYS TRIGGER evidence_guard;
ALTER TABLE hrguard.chain_head ENABLE ALWAYS TRIGGER chain_head_guard;
SELECT ok, entries, first_bad_seq, reason FROM hrguard.verify_chain('K1');
SELECT ok, reason FROM hrguard.verify_checkpoint(:'body1');
SELECT ok, reason FROM hrguard.verify_checkpoint(:'body2');

-- the log itself cut short after a checkpoint
ALTER TABLE hrguard.log_entry DISABLE TRIGGER log_entry_guard;
BEGIN;
DELETE FROM hrguard.log_entry WHERE log_index = (SELECT max(log_index) FROM hrguard.log_entry);
SELECT ok, reason = format('the log has fewer than %s entries', :size2) AS fewer_entries
  FROM hrguard.verify_checkpoint(:'body2');
ROLLBACK;
ALTER TABLE hrguard.log_entry ENABLE ALWAYS TRIGGER log_entry_guard;
SELECT ok FROM hrguard.verify_checkpoint(:'body2');

-- a checkpoint extends the last one's frontier instead of reading the
-- whole log: over 40 checkpoints of log sizes with every pattern of low
-- bits, each root is the Merkle root of the log's leaves up to its size
BEGIN;
INSERT INTO hrguard.employee (employee_id) VALUES ('F1');
CREATE FUNCTION pg_temp.grow() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..40 LOOP
		PERFORM hrguard.record_evidence('F1', 'note', jsonb_build_object('i', i, 'j', j), now())
		   FROM generate_series(1, 1 + (i * 7) % 5) AS j;
		PERFORM hrguard.checkpoint();
	END LOOP;
END $$;
SELECT pg_temp.grow();
SELECT count(*) AS checkpoints,
	   count(*) FILTER (WHERE c.root = hrguard.merkle_root(ARRAY(
			SELECT leaf_hash FROM hrguard.log_entry WHERE log_index < c.tree_size ORDER BY log_index)))
		 AS roots_equal,
	   count(*) FILTER (WHERE length(c.frontier) = 32 * length(replace(c.tree_size::bit(64)::text, '0', '')))
		 AS frontier_sizes_right
  FROM hrguard.log_checkpoint c
 WHERE c.created_at = now();
-- a frontier that does not give its checkpoint's root, or cannot be one of
-- its size, is refused (XX001)
ALTER TABLE hrguard.log_checkpoint DISABLE TRIGGER log_checkpoint_guard;
UPDATE hrguard.log_checkpoint SET frontier = decode(repeat('00', length(frontier)), 'hex')
 WHERE tree_size = (SELECT max(tree_size) FROM hrguard.log_checkpoint);
ALTER TABLE hrguard.log_checkpoint ENABLE ALWAYS TRIGGER log_checkpoint_guard;
SELECT hrguard.record_evidence('F1', 'note', '{"after": "damage"}', now()) > 0 AS recorded;
-- (the errors name the checkpoint by its size: compared, not shown)
SELECT max(tree_size) AS last_size FROM hrguard.log_checkpoint \gset
\set VERBOSITY sqlstate
SAVEPOINT before_damaged;
SELECT hrguard.checkpoint();
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT before_damaged;
SELECT :'LAST_ERROR_MESSAGE' = format('the frontier of checkpoint %s does not give its root', :last_size) AS message_ok;
ALTER TABLE hrguard.log_checkpoint DISABLE TRIGGER log_checkpoint_guard;
UPDATE hrguard.log_checkpoint SET frontier = '\x00'
 WHERE tree_size = (SELECT max(tree_size) FROM hrguard.log_checkpoint);
ALTER TABLE hrguard.log_checkpoint ENABLE ALWAYS TRIGGER log_checkpoint_guard;
SAVEPOINT before_damaged;
SELECT hrguard.checkpoint();
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT before_damaged;
SELECT :'LAST_ERROR_MESSAGE' = format('the frontier of checkpoint %s is damaged', :last_size) AS message_ok;
\set VERBOSITY terse
ROLLBACK;
