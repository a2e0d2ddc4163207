-- evidence_log.sql -- the Merkle log over all evidence entries and its
-- checkpoints (evidence_log.c, merkle.c).

CREATE TABLE hrguard.log_entry (
	log_index		bigint PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL,
	seq				bigint NOT NULL,
	leaf_hash		bytea NOT NULL,
	CONSTRAINT log_entry_once UNIQUE (employee_id, seq)
);
REVOKE ALL ON hrguard.log_entry FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.log_entry', '');
COMMENT ON TABLE hrguard.log_entry IS
	'the RFC 9162 log: every evidence entry, in the order checkpoints took them in';
COMMENT ON COLUMN hrguard.log_entry.leaf_hash IS
	'SHA-256(0x00 || "hrguard/v1/logent" || u32be(len) || employee_id || u64be(seq) || link)';

CREATE TABLE hrguard.log_checkpoint (
	tree_size		bigint PRIMARY KEY,
	root			bytea NOT NULL,
	created_at		timestamptz NOT NULL,
	body			text NOT NULL,
	frontier		bytea,
	heads			bigint,
	heads_root		bytea
);
REVOKE ALL ON hrguard.log_checkpoint FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.log_checkpoint', '');
COMMENT ON TABLE hrguard.log_checkpoint IS
	'checkpoints of the log; their bodies are meant to be kept outside the database too';
COMMENT ON COLUMN hrguard.log_checkpoint.heads IS
	'chains in the log of tree_size entries: leaves of the heads tree (null for a checkpoint of body version 1)';
COMMENT ON COLUMN hrguard.log_checkpoint.heads_root IS
	'RFC 9162 root of the heads tree: every chain''s last logged entry, in the order the chains entered the log';
COMMENT ON COLUMN hrguard.log_checkpoint.frontier IS
	'roots of the perfect subtrees of the tree, largest first (one per 1 bit of tree_size): the next checkpoint extends it instead of reading the whole log';

CREATE TABLE hrguard.log_node (
	level			smallint NOT NULL,
	node_index		bigint NOT NULL,
	hash			bytea NOT NULL,
	PRIMARY KEY (level, node_index)
);
REVOKE ALL ON hrguard.log_node FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.log_node', '');
COMMENT ON TABLE hrguard.log_node IS
	'heads of the log''s perfect subtrees of 256 leaves and more, stored by checkpoints so that a proof reads O(log n) rows; not trusted: a proof built from a changed one does not lead to the checkpoint''s root';
COMMENT ON COLUMN hrguard.log_node.level IS
	'log2 of the number of leaves under the node (8 and up)';
COMMENT ON COLUMN hrguard.log_node.node_index IS
	'position among the nodes of its level: it covers log entries node_index * 2^level to (node_index + 1) * 2^level - 1';

CREATE TABLE hrguard.log_chain (
	position		bigint PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL UNIQUE,
	tree_size		bigint NOT NULL
);
REVOKE ALL ON hrguard.log_chain FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.log_chain', '');
COMMENT ON TABLE hrguard.log_chain IS
	'each chain''s leaf in the heads tree, in the order chains entered the log; tree_size is the checkpoint that first logged it (derived from the log)';

CREATE TABLE hrguard.log_head (
	position		bigint NOT NULL,
	tree_size		bigint NOT NULL,
	seq				bigint NOT NULL,
	link			bytea NOT NULL,
	PRIMARY KEY (position, tree_size)
);
REVOKE ALL ON hrguard.log_head FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.log_head', '');
COMMENT ON TABLE hrguard.log_head IS
	'a chain''s last logged entry at each checkpoint that moved it (derived from the log; not trusted)';

CREATE TABLE hrguard.head_node (
	level			smallint NOT NULL,
	node_index		bigint NOT NULL,
	tree_size		bigint NOT NULL,
	hash			bytea NOT NULL,
	PRIMARY KEY (level, node_index, tree_size)
);
REVOKE ALL ON hrguard.head_node FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.head_node', '');
COMMENT ON TABLE hrguard.head_node IS
	'heads of the heads tree''s perfect subtrees of 16 leaves and more, at each checkpoint that changed them (derived; not trusted)';

SELECT hrguard.make_append_only('hrguard.log_entry');
SELECT hrguard.make_append_only('hrguard.log_chain');
SELECT hrguard.make_append_only('hrguard.log_head');
SELECT hrguard.make_append_only('hrguard.head_node');
SELECT hrguard.make_append_only('hrguard.log_checkpoint');
SELECT hrguard.make_append_only('hrguard.log_node');

CREATE FUNCTION hrguard.checkpoint()
	RETURNS text
	LANGUAGE c
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'hrguard_checkpoint';
REVOKE ALL ON FUNCTION hrguard.checkpoint() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.checkpoint() IS
	'logs the pending evidence entries; returns a checkpoint body (size, root, time, previous) to keep outside the database';

CREATE FUNCTION hrguard.inclusion_proof(employee_id text, seq bigint, tree_size bigint,
		OUT log_index bigint, OUT leaf_hash bytea, OUT proof bytea[], OUT root bytea)
	LANGUAGE c STRICT
	AS 'MODULE_PATHNAME', 'hrguard_inclusion_proof';
REVOKE ALL ON FUNCTION hrguard.inclusion_proof(text, bigint, bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.inclusion_proof(text, bigint, bigint) IS
	'RFC 9162 inclusion proof of an evidence entry in the log of tree_size entries, with that tree''s root';

CREATE FUNCTION hrguard.consistency_proof(old_size bigint, new_size bigint)
	RETURNS bytea[]
	LANGUAGE c STRICT
	AS 'MODULE_PATHNAME', 'hrguard_consistency_proof';
REVOKE ALL ON FUNCTION hrguard.consistency_proof(bigint, bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.consistency_proof(bigint, bigint) IS
	'RFC 9162 consistency proof between two sizes of the evidence log';

CREATE FUNCTION hrguard.verify_checkpoint(body text,
		OUT ok boolean, OUT tree_size bigint, OUT reason text)
	LANGUAGE c STRICT
	AS 'MODULE_PATHNAME', 'hrguard_verify_checkpoint';
REVOKE ALL ON FUNCTION hrguard.verify_checkpoint(text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.verify_checkpoint(text) IS
	'recomputes the log from the chains as they are now and compares it with a checkpoint body kept elsewhere';
