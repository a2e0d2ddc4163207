-- merkle.sql -- RFC 9162 Merkle tree functions over leaf hashes (merkle.c).

CREATE FUNCTION hrguard.merkle_leaf_hash(data bytea)
	RETURNS bytea
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_merkle_leaf_hash_sql';
COMMENT ON FUNCTION hrguard.merkle_leaf_hash(bytea) IS
	'RFC 9162 leaf hash: SHA-256(0x00 || data)';

CREATE FUNCTION hrguard.merkle_root(leaf_hashes bytea[])
	RETURNS bytea
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_merkle_root_sql';
COMMENT ON FUNCTION hrguard.merkle_root(bytea[]) IS
	'RFC 9162 tree head of the given leaf hashes';

CREATE FUNCTION hrguard.merkle_inclusion_proof(leaf_hashes bytea[], leaf_index bigint)
	RETURNS bytea[]
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_merkle_inclusion_sql';
COMMENT ON FUNCTION hrguard.merkle_inclusion_proof(bytea[], bigint) IS
	'RFC 9162 inclusion proof (audit path) of one leaf in the tree of the given leaf hashes';

CREATE FUNCTION hrguard.merkle_consistency_proof(leaf_hashes bytea[], old_size bigint)
	RETURNS bytea[]
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_merkle_consistency_sql';
COMMENT ON FUNCTION hrguard.merkle_consistency_proof(bytea[], bigint) IS
	'RFC 9162 consistency proof from the first old_size leaves to all of the given leaf hashes';
