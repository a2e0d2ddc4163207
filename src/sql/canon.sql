-- canon.sql -- canonical JSON bytes for hashing (canon.c).

CREATE FUNCTION hrguard.canonical_json(json text)
	RETURNS bytea
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_canonical_json';
COMMENT ON FUNCTION hrguard.canonical_json(text) IS
	'RFC 8785 canonical bytes of JSON in hrguard''s subset (ASCII keys, integers up to 2^53-1, no floats)';

CREATE FUNCTION hrguard.canonical_json(json bytea)
	RETURNS bytea
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_canonical_json';
COMMENT ON FUNCTION hrguard.canonical_json(bytea) IS
	'RFC 8785 canonical bytes of JSON given as raw bytes (must be UTF-8)';
