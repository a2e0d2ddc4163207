-- chain_heads: the tree of chain heads a checkpoint commits to, over many
-- chains and checkpoints; re-hashed only where a checkpoint changed it;
-- the stored rows are not trusted.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;

-- the heads root of a checkpoint, recomputed from the log with sha256()
-- and merkle_root(): each chain's last logged entry, in the order the
-- chains first entered the log
CREATE FUNCTION pg_temp.heads_root(size bigint) RETURNS bytea LANGUAGE sql AS $$
	SELECT hrguard.merkle_root(ARRAY(
		SELECT sha256('\x00'::bytea || convert_to('hrguard/v2/head', 'UTF8')
					  || int4send(octet_length(convert_to(h.employee_id, 'UTF8')))
					  || convert_to(h.employee_id, 'UTF8') || int8send(h.seq) || e.link)
		  FROM (SELECT employee_id, max(seq) AS seq, min(log_index) AS first FROM hrguard.log_entry
				 WHERE log_index < size GROUP BY employee_id) h
		  JOIN hrguard.evidence e USING (employee_id, seq)
		 ORDER BY h.first))
$$;

-- what earlier files left unlogged is logged first
SELECT hrguard.checkpoint() IS NOT NULL AS taken;
SELECT coalesce(max(heads), 0) AS heads_before, coalesce(max(tree_size), 0) AS size_before
  FROM hrguard.log_checkpoint \gset
BEGIN;
INSERT INTO hrguard.employee (employee_id)
SELECT 'H' || lpad(i::text, 3, '0') FROM generate_series(1, 70) AS i;
-- 40 chains, then checkpoints that touch a few, add new ones, or none
SELECT count(hrguard.record_evidence('H' || lpad(i::text, 3, '0'), 'note', jsonb_build_object('i', i), now()))
  FROM generate_series(1, 40) AS i;
SELECT hrguard.checkpoint() IS NOT NULL AS taken;
SELECT count(hrguard.record_evidence('H' || lpad(i::text, 3, '0'), 'note', '{"again": true}', now()))
  FROM generate_series(3, 5) AS i;
SELECT hrguard.checkpoint() IS NOT NULL AS taken;
SELECT count(hrguard.record_evidence('H' || lpad(i::text, 3, '0'), 'note', '{"new": true}', now()))
  FROM generate_series(41, 70) AS i;
SELECT hrguard.checkpoint() IS NOT NULL AS taken;
SELECT count(hrguard.record_evidence('H040', 'note', '{"last": true}', now()));
SELECT hrguard.checkpoint() IS NOT NULL AS taken;

-- every checkpoint's body and row commit to the heads the log gives
SELECT count(*) AS checkpoints,
	   count(*) FILTER (WHERE heads_root = pg_temp.heads_root(tree_size)) AS heads_root_recomputed,
	   count(*) FILTER (WHERE body ~ ('heads ' || heads || E'\nheads_root ' || encode(heads_root, 'hex') || E'\n'))
		 AS in_the_body,
	   count(*) FILTER (WHERE (hrguard.verify_checkpoint(body)).ok) AS verified
  FROM hrguard.log_checkpoint WHERE tree_size > :size_before;
-- a chain keeps its position; positions are dense from 0, in the order
-- the chains entered the log
SELECT count(*) AS chains, min(position) = :heads_before AS first_after_the_others,
	   max(position) - min(position) + 1 = count(*) AS dense, count(DISTINCT employee_id) AS employees
  FROM hrguard.log_chain WHERE employee_id LIKE 'H%';
-- what each checkpoint wrote: a head row per chain it moved, and subtree
-- heads (16 leaves and more) exactly for the complete blocks and nodes
-- above them that hold a moved chain
SELECT c.heads - :heads_before AS new_chains,
	   (SELECT count(*) FROM hrguard.log_head h WHERE h.tree_size = c.tree_size) AS heads_moved,
	   NOT EXISTS (SELECT FROM hrguard.head_node n WHERE n.tree_size = c.tree_size
					  AND NOT EXISTS (SELECT FROM hrguard.log_head h WHERE h.tree_size = c.tree_size
										 AND h.position >> n.level = n.node_index)) AS each_written_holds_a_moved_chain,
	   NOT EXISTS (SELECT FROM hrguard.log_head h, generate_series(4, 20) AS l
					WHERE h.tree_size = c.tree_size AND ((h.position >> l) + 1) << l <= c.heads
					  AND NOT EXISTS (SELECT FROM hrguard.head_node n WHERE n.tree_size = c.tree_size
										 AND n.level = l AND n.node_index = h.position >> l)) AS each_changed_written
  FROM hrguard.log_checkpoint c WHERE c.tree_size > :size_before ORDER BY c.tree_size;
COMMIT;

-- each chain's head under each checkpoint, as an export proves it: every
-- chain against every checkpoint it is in, checked against the recomputed
-- root by the package's own proof (hrguard-verify's rule, in SQL)
SELECT count(*) AS exports, count(*) FILTER (WHERE head_ok) AS heads_proven
  FROM (SELECT (hrguard.export_evidence(e.employee_id, checkpoint => c.body) -> 'head' ->> 'seq')::bigint
				 = (SELECT max(seq) FROM hrguard.log_entry l WHERE l.employee_id = e.employee_id
						AND l.log_index < c.tree_size) AS head_ok
		  FROM hrguard.log_checkpoint c
		  JOIN (VALUES ('H001'), ('H004'), ('H040'), ('H055')) AS e(employee_id)
			ON EXISTS (SELECT FROM hrguard.log_entry l WHERE l.employee_id = e.employee_id AND l.log_index < c.tree_size)
		 WHERE c.heads IS NOT NULL) AS x;

-- the stored rows are not trusted: a subtree head changed, a chain's head
-- rows removed.  The next checkpoint warns and commits to the heads the
-- log gives; an export warns and proves from the log.
SELECT hrguard.checkpoint() IS NOT NULL AS nothing_left_unlogged;
ALTER TABLE hrguard.head_node DISABLE TRIGGER head_node_guard;
ALTER TABLE hrguard.log_head DISABLE TRIGGER log_head_guard;
BEGIN;
-- the subtree of the first 64 chains, which the last root was made from
UPDATE hrguard.head_node SET hash = sha256(hash)
 WHERE (level, node_index) = (6, 0)
   AND tree_size = (SELECT max(tree_size) FROM hrguard.head_node WHERE (level, node_index) = (6, 0));
SELECT hrguard.record_evidence('H070', 'note', '{"after": "damage"}', now()) > 0 AS recorded;
SELECT hrguard.checkpoint() IS NOT NULL AS taken;
SELECT heads_root = pg_temp.heads_root(tree_size) AS heads_root_from_the_log,
	   (hrguard.verify_checkpoint(body)).ok AS verified
  FROM hrguard.log_checkpoint ORDER BY tree_size DESC LIMIT 1;
ROLLBACK;
BEGIN;
-- the block of 16 chains next to H002's, which its proof is made from
UPDATE hrguard.head_node SET hash = sha256(hash)
 WHERE level = 4 AND node_index = ((SELECT position FROM hrguard.log_chain WHERE employee_id = 'H002') >> 4) # 1;
SELECT (hrguard.export_evidence('H002') -> 'head' ->> 'seq') AS head_proven;
ROLLBACK;
BEGIN;
DELETE FROM hrguard.log_head WHERE position = (SELECT position FROM hrguard.log_chain WHERE employee_id = 'H010');
SELECT (hrguard.export_evidence('H010') -> 'head' ->> 'seq') AS head_proven_from_the_log;
ROLLBACK;
-- all three emptied: the next checkpoint warns and writes them again from
-- the log (positions in the order chains entered the log), and the one
-- after needs the log no more
BEGIN;
ALTER TABLE hrguard.log_chain DISABLE TRIGGER log_chain_guard_truncate;
ALTER TABLE hrguard.log_head DISABLE TRIGGER log_head_guard_truncate;
ALTER TABLE hrguard.head_node DISABLE TRIGGER head_node_guard_truncate;
SELECT count(*) AS chains_before FROM hrguard.log_chain \gset
TRUNCATE hrguard.log_chain, hrguard.log_head, hrguard.head_node;
SELECT hrguard.record_evidence('H011', 'note', '{"after": "truncate"}', now()) > 0 AS recorded;
SELECT hrguard.checkpoint() IS NOT NULL AS taken;
SELECT count(*) = :chains_before AS chains_written_again,
	   bool_and(position = canonical) AS in_the_order_they_entered_the_log
  FROM (SELECT c.position, row_number() OVER (ORDER BY m.first) - 1 AS canonical
		  FROM hrguard.log_chain c
		  JOIN (SELECT employee_id, min(log_index) AS first FROM hrguard.log_entry GROUP BY employee_id) m
			USING (employee_id)) AS x;
SELECT hrguard.record_evidence('H012', 'note', '{"after": "truncate"}', now()) > 0 AS recorded;
SELECT hrguard.checkpoint() IS NOT NULL AS taken_without_warning;
SELECT heads_root = pg_temp.heads_root(tree_size) AS heads_root_from_the_log
  FROM hrguard.log_checkpoint ORDER BY tree_size DESC LIMIT 2;
ROLLBACK;
-- a row planted where the next checkpoint writes: it warns and takes the
-- root from the log, never fails
BEGIN;
INSERT INTO hrguard.log_head
SELECT position, (SELECT max(tree_size) + 1 FROM hrguard.log_checkpoint), 99, sha256('planted')
  FROM hrguard.log_chain WHERE employee_id = 'H013';
SELECT hrguard.record_evidence('H013', 'note', '{"after": "planted"}', now()) > 0 AS recorded;
SELECT hrguard.checkpoint() IS NOT NULL AS taken;
SELECT heads_root = pg_temp.heads_root(tree_size) AS heads_root_from_the_log,
	   (hrguard.verify_checkpoint(body)).ok AS verified
  FROM hrguard.log_checkpoint ORDER BY tree_size DESC LIMIT 1;
ROLLBACK;
ALTER TABLE hrguard.head_node ENABLE ALWAYS TRIGGER head_node_guard;
ALTER TABLE hrguard.log_head ENABLE ALWAYS TRIGGER log_head_guard;

-- the derived tables are append-only like the log, for every role
UPDATE hrguard.log_head SET seq = seq + 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.log_chain;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.head_node;
\echo :LAST_ERROR_SQLSTATE
