-- log_proofs: inclusion and consistency proofs made from the stored heads
-- of the log's large subtrees (hrguard.log_node) equal those computed from
-- all leaves, over checkpoints that complete such subtrees; they read
-- O(log n) rows; a missing head is recomputed; a changed one is not
-- trusted.  All in one transaction, rolled back.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'UTC';
BEGIN;
INSERT INTO hrguard.employee (employee_id) VALUES ('L1'), ('L2');
-- 1,300 entries, checkpoints after 100, 200, 300, 1, 400 and 299 more
CREATE FUNCTION pg_temp.grow(sizes int[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	n int;
BEGIN
	FOREACH n IN ARRAY sizes LOOP
		PERFORM hrguard.record_evidence(CASE WHEN j % 3 = 0 THEN 'L2' ELSE 'L1' END, 'note',
										jsonb_build_object('j', j), now())
		   FROM generate_series(1, n) AS j;
		PERFORM hrguard.checkpoint();
	END LOOP;
END $$;
SELECT pg_temp.grow('{100, 200, 300, 1, 400, 299}');
SELECT max(log_index) + 1 AS size FROM hrguard.log_entry \gset
SELECT :size >= 1300 AS at_least_1300,
	   (SELECT tree_size FROM hrguard.log_checkpoint ORDER BY tree_size DESC LIMIT 1) = :size AS checkpointed;
CREATE FUNCTION pg_temp.leaves(lo bigint, hi bigint) RETURNS bytea[] LANGUAGE sql AS
	$$ SELECT array_agg(leaf_hash ORDER BY log_index) FROM hrguard.log_entry
		WHERE log_index >= lo AND log_index < hi $$;

-- one head per complete subtree of 256, 512 and 1,024 leaves, none smaller,
-- each the Merkle root of its leaves
SELECT level, count(*) = :size / (1 << level) AS every_complete_subtree,
	   bool_and(hash = hrguard.merkle_root(pg_temp.leaves(node_index << level, (node_index + 1) << level)))
		 AS heads_are_roots
  FROM hrguard.log_node GROUP BY level ORDER BY level;

-- inclusion proofs at both ends and around the 256-leaf bounds, in trees
-- of sizes on and off those bounds
CREATE TEMP TABLE probe AS
SELECT s, l.employee_id, l.seq, l.log_index, l.leaf_hash
  FROM unnest(ARRAY[256, 257, 511, 512, 513, 700, 1024, 1025, :size]::bigint[]) AS s,
	   hrguard.log_entry l
 WHERE l.log_index < s
   AND (l.log_index IN (0, 1, 255, 256, 300, 511, 512, 1000, 1023, 1024) OR l.log_index = s - 1);
SELECT count(*) AS proofs,
	   count(*) FILTER (WHERE p.log_index = b.log_index AND p.leaf_hash = b.leaf_hash
						  AND p.proof = hrguard.merkle_inclusion_proof(pg_temp.leaves(0, b.s), b.log_index)
						  AND p.root = hrguard.merkle_root(pg_temp.leaves(0, b.s))) AS equal
  FROM probe b, LATERAL hrguard.inclusion_proof(b.employee_id, b.seq, b.s) p;
-- consistency proofs between sizes on and off the bounds
SELECT count(*) AS proofs,
	   count(*) FILTER (WHERE hrguard.consistency_proof(o, n)
							  = hrguard.merkle_consistency_proof(pg_temp.leaves(0, n), o)) AS equal
  FROM unnest(ARRAY[1, 3, 255, 256, 257, 512, 600, 1024]::bigint[]) AS o,
	   unnest(ARRAY[256, 257, 511, 512, 1000, 1024, 1025, :size]::bigint[]) AS n
 WHERE o <= n;

-- a proof reads a few hundred log rows at most, not the whole log
SELECT pg_stat_get_xact_tuples_fetched('hrguard.log_entry'::regclass) AS fetched_before \gset
SELECT count(*) FROM hrguard.inclusion_proof('L1', 10, :size);
SELECT pg_stat_get_xact_tuples_fetched('hrguard.log_entry'::regclass) - :fetched_before < 600 AS reads_few,
	   :size >= 1300 AS of_a_larger_log;

-- a missing head is recomputed from the levels below: the same proofs
ALTER TABLE hrguard.log_node DISABLE TRIGGER log_node_guard;
DELETE FROM hrguard.log_node WHERE level = 9 AND node_index = 0;
DELETE FROM hrguard.log_node WHERE level = 8 AND node_index = 0;
SELECT count(*) AS proofs,
	   count(*) FILTER (WHERE p.proof = hrguard.merkle_inclusion_proof(pg_temp.leaves(0, b.s), b.log_index)
						  AND p.root = hrguard.merkle_root(pg_temp.leaves(0, b.s))) AS equal
  FROM probe b, LATERAL hrguard.inclusion_proof(b.employee_id, b.seq, b.s) p
 WHERE b.log_index = 1000;

-- changed heads: in a tree with a checkpoint of its size the proof is made
-- from the leaves instead, with a warning; in one without, the proof leads
-- to a root that is not the tree's
INSERT INTO hrguard.log_node (level, node_index, hash) VALUES (9, 0, sha256('forged'));
UPDATE hrguard.log_node SET hash = sha256('forged too') WHERE level = 10 AND node_index = 0;
SELECT p.root = hrguard.merkle_root(pg_temp.leaves(0, :size)) AS right_root,
	   p.proof = hrguard.merkle_inclusion_proof(pg_temp.leaves(0, :size), p.log_index) AS right_proof
  FROM hrguard.log_entry l, LATERAL hrguard.inclusion_proof(l.employee_id, l.seq, :size) p
 WHERE l.log_index = 1000;
SELECT p.root = hrguard.merkle_root(pg_temp.leaves(0, 1025)) AS right_root,
	   p.proof = hrguard.merkle_inclusion_proof(pg_temp.leaves(0, 1025), p.log_index) AS right_proof
  FROM hrguard.log_entry l, LATERAL hrguard.inclusion_proof(l.employee_id, l.seq, 1025) p
 WHERE l.log_index = 1000;
-- an export, whose last entry's proof passes the changed head of the first
-- 1,024 leaves, still ties the entry to the checkpoint's root
SELECT (hrguard.export_evidence('L1')::jsonb -> 'inclusion' ->> 'log_index') IS NOT NULL AS exported;
-- a stored head that cannot be a hash is refused (XX001)
UPDATE hrguard.log_node SET hash = '\x0102' WHERE level = 10 AND node_index = 0;
SAVEPOINT damaged;
SELECT p.* FROM hrguard.log_entry l, LATERAL hrguard.inclusion_proof(l.employee_id, l.seq, :size) p
 WHERE l.log_index = 1100;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT damaged;
ROLLBACK;
