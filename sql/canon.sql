-- canon: RFC 8785 canonical JSON over hrguard's subset, against the RFC's
-- examples that fit the subset and against canonicalize (a public RFC 8785
-- implementation on the npm registry) on 600 random documents
-- (test/scripts/gen-canon-vectors.mjs).
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
\getenv abs_srcdir PG_ABS_SRCDIR
\set vectors :abs_srcdir '/test/fixtures/canon_vectors.csv'

-- RFC 8785 section 3.2.2, without its floating-point numbers
SELECT convert_from(hrguard.canonical_json(
	'{"string": "\u20ac$\u000F\u000aA''\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}'), 'UTF8');
-- key order is by code unit; -0 is 0; escapes decode; whitespace goes
SELECT convert_from(hrguard.canonical_json(
	' { "b" : -0 , "a" : [ 1 , {"z":2,"Z":3,"_":"\ud83d\ude00\t"} ], "B": true } '), 'UTF8');
SELECT hrguard.canonical_json('{}') AS empty_object, hrguard.canonical_json('[]') AS empty_array,
	   hrguard.canonical_json('9007199254740991') AS largest,
	   convert_from(hrguard.canonical_json('"\u0001\u001f\u007f"'), 'UTF8') AS controls;

CREATE TEMP TABLE v (input text, expected text);
COPY v FROM :'vectors' (FORMAT csv, HEADER true);
SELECT count(*) AS vectors,
	   count(*) FILTER (WHERE hrguard.canonical_json(convert_from(decode(input, 'base64'), 'UTF8'))
						IS DISTINCT FROM decode(expected, 'base64')) AS mismatches,
	   count(*) FILTER (WHERE hrguard.canonical_json(decode(input, 'base64'))
						IS DISTINCT FROM decode(expected, 'base64')) AS mismatches_from_bytes
  FROM v;
-- canonical output is a fixed point
SELECT count(*) FILTER (WHERE hrguard.canonical_json(decode(expected, 'base64'))
						IS DISTINCT FROM decode(expected, 'base64')) AS not_fixed_points
  FROM v;

-- outside the subset, one statement each, each followed by its SQLSTATE
SELECT hrguard.canonical_json('{"a":1.5}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":1.000000000000000000001}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":15e-1}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":1e20}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":9007199254740992.0}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":1.}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":9007199254740992}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":-9007199254740992}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":123456789012345678901234567890}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":1,"a":2}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"é":1}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('\x7b2261223a2263'::bytea || '\xc3'::bytea || '\x227d'::bytea);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('"\ud800"');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('"\u0000"');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('{"a":1} {"b":2}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json(repeat('[', 40) || repeat(']', 40));
\echo :LAST_ERROR_SQLSTATE

-- one rule for numbers, however written: a whole value is that integer
-- (as RFC 8785 writes it), any other value is refused
SELECT t, convert_from(hrguard.canonical_json(t), 'UTF8') AS canonical
  FROM unnest(ARRAY['[100]', '[1e2]', '[1E+2]', '[100.0]', '[1.00e2]', '[10000e-2]', '[0.0]', '[-0]',
					'[-0.0e5]', '[-1.50e1]', '[9007199254740991.0]', '[90071992547409910e-1]',
					'{"s":"1.0 stays text","n":2.0}']) t;

-- a huge exponent is not cut short: ten to the -999 and to the 999,
-- written with a million zeros, are refused
SELECT hrguard.canonical_json('1' || repeat('0', 1000000) || 'e-1000000999');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('0.' || repeat('0', 999999) || '1e1000000999');
\echo :LAST_ERROR_SQLSTATE

-- JSON bytes with a NUL byte are refused, not read up to it (22P02)
SELECT hrguard.canonical_json('\x3100'::bytea);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.canonical_json('\x7b7d0020'::bytea);
\echo :LAST_ERROR_SQLSTATE
