-- preamble.sql -- first part of the hrguard install script.
--
-- The control file names schema hrguard, which CREATE EXTENSION creates when
-- it does not exist and silently reuses when it does.  A schema that someone
-- else prepared could hold objects that capture our names, so refuse any
-- schema that is not owned by the installing role (or a superuser) or that
-- is not empty.

\echo Use "CREATE EXTENSION hrguard CASCADE" to load this file. \quit

DO $guard$
DECLARE
	schema_oid pg_catalog.oid;
	owner_ok boolean;
BEGIN
	SELECT n.oid,
		   (n.nspowner OPERATOR(pg_catalog.=) r.oid OR o.rolsuper)
	  INTO schema_oid, owner_ok
	  FROM pg_catalog.pg_namespace n
	  JOIN pg_catalog.pg_roles o ON o.oid OPERATOR(pg_catalog.=) n.nspowner
	  JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) CURRENT_USER
	 WHERE n.nspname OPERATOR(pg_catalog.=) 'hrguard';

	IF NOT owner_ok THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = 'schema hrguard is owned by another role',
			HINT = 'Drop the schema, or install hrguard as its owner or as a superuser.';
	END IF;

	IF EXISTS (SELECT FROM pg_catalog.pg_class c
				WHERE c.relnamespace OPERATOR(pg_catalog.=) schema_oid)
	   OR EXISTS (SELECT FROM pg_catalog.pg_proc p
				   WHERE p.pronamespace OPERATOR(pg_catalog.=) schema_oid)
	   OR EXISTS (SELECT FROM pg_catalog.pg_type t
				   WHERE t.typnamespace OPERATOR(pg_catalog.=) schema_oid)
	   OR EXISTS (SELECT FROM pg_catalog.pg_operator op
				   WHERE op.oprnamespace OPERATOR(pg_catalog.=) schema_oid)
	THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = 'schema hrguard already contains objects',
			HINT = 'hrguard installs into an empty schema; move or drop what is there.';
	END IF;
END
$guard$;

COMMENT ON SCHEMA hrguard IS
	'hrguard: attendance geofencing, scoring and hash-chained evidence for HR';
