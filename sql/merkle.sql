-- merkle: RFC 9162 tree heads, inclusion and consistency proofs against
-- the published Certificate Transparency test vectors (RFC 6962 leaves
-- '', 00, 10, 2021, 3031, 40414243, 5051525354555657, 60..6f).
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
CREATE TEMP TABLE ct AS
SELECT ord, hrguard.merkle_leaf_hash(decode(h, 'hex')) AS leaf
  FROM unnest(ARRAY['', '00', '10', '2021', '3031', '40414243', '5051525354555657',
					'606162636465666768696a6b6c6d6e6f']) WITH ORDINALITY AS t(h, ord);
CREATE TEMP TABLE expected_root (n int, root text);
INSERT INTO expected_root VALUES
	(0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
	(1, '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'),
	(2, 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'),
	(3, 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77'),
	(4, 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'),
	(5, '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4'),
	(6, '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef'),
	(7, 'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c'),
	(8, '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
CREATE FUNCTION pg_temp.leaves(n int) RETURNS bytea[] LANGUAGE sql AS
	$$ SELECT coalesce(array_agg(leaf ORDER BY ord), '{}') FROM ct WHERE ord <= n $$;
CREATE FUNCTION pg_temp.hex(p bytea[]) RETURNS text LANGUAGE sql AS
	$$ SELECT string_agg(encode(h, 'hex'), ' ' ORDER BY i) FROM unnest(p) WITH ORDINALITY AS u(h, i) $$;

SELECT n, encode(hrguard.merkle_root(pg_temp.leaves(n)), 'hex') = root AS root_matches
  FROM expected_root ORDER BY n;

-- published inclusion proofs (leaf 0 and leaf 5 of 8)
SELECT pg_temp.hex(hrguard.merkle_inclusion_proof(pg_temp.leaves(8), 0)) =
	'96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7 '
	'5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e '
	'6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4' AS leaf0_of_8;
SELECT pg_temp.hex(hrguard.merkle_inclusion_proof(pg_temp.leaves(8), 5)) =
	'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b '
	'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0 '
	'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7' AS leaf5_of_8;
SELECT hrguard.merkle_inclusion_proof(pg_temp.leaves(1), 0) = '{}' AS single_leaf_empty_path;

-- published consistency proofs (2 to 8, 6 to 8, 2 to 5)
SELECT pg_temp.hex(hrguard.merkle_consistency_proof(pg_temp.leaves(8), 2)) =
	'5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e '
	'6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4' AS from2_to8;
SELECT pg_temp.hex(hrguard.merkle_consistency_proof(pg_temp.leaves(8), 6)) =
	'0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a '
	'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0 '
	'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7' AS from6_to8;
SELECT pg_temp.hex(hrguard.merkle_consistency_proof(pg_temp.leaves(5), 2)) =
	'5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e '
	'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b' AS from2_to5;
SELECT hrguard.merkle_consistency_proof(pg_temp.leaves(8), 8) = '{}' AS same_size_empty;

-- bad input, each followed by its SQLSTATE
SELECT hrguard.merkle_inclusion_proof(pg_temp.leaves(8), 8);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.merkle_inclusion_proof(pg_temp.leaves(8), -1);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.merkle_consistency_proof(pg_temp.leaves(8), 0);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.merkle_consistency_proof(pg_temp.leaves(8), 9);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.merkle_root(ARRAY['\x00'::bytea]);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.merkle_root(ARRAY[NULL::bytea]);
\echo :LAST_ERROR_SQLSTATE
