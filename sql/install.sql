-- install: CREATE EXTENSION with CASCADE, drop and reinstall, the schema
-- guard, and properties every hrguard object must have.
\set VERBOSITY terse
SET client_min_messages = warning;

CREATE EXTENSION hrguard CASCADE;
SELECT extname, extrelocatable, n.nspname AS schema
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE extname IN ('hrguard', 'postgis')
 ORDER BY extname;
SELECT hrguard.version() = extversion AS library_matches_script
  FROM pg_extension WHERE extname = 'hrguard';

-- not relocatable
ALTER EXTENSION hrguard SET SCHEMA public;
\echo :LAST_ERROR_SQLSTATE

-- drop and reinstall; the schema is left behind, empty, and is reused
DROP EXTENSION hrguard;
SELECT count(*) AS leftover_objects
  FROM pg_class WHERE relnamespace = 'hrguard'::regnamespace;
CREATE EXTENSION hrguard;
SELECT count(*) AS employees FROM hrguard.employee;

-- a schema that already holds objects is refused, and nothing is created
DROP EXTENSION hrguard;
CREATE TABLE hrguard.intruder (x int);
CREATE EXTENSION hrguard;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS hrguard_extensions FROM pg_extension WHERE extname = 'hrguard';
DROP TABLE hrguard.intruder;
CREATE EXTENSION hrguard;

-- tables holding user data are dumped by pg_dump
SELECT unnest(extconfig)::regclass::text AS dumped_table
  FROM pg_extension WHERE extname = 'hrguard'
 ORDER BY 1;
-- none is left out: every table and sequence of the schema is dumped
SELECT c.oid::regclass AS not_dumped
  FROM pg_class c
 WHERE c.relnamespace = 'hrguard'::regnamespace AND c.relkind IN ('r', 'p', 'S')
   AND c.oid <> ALL ((SELECT extconfig FROM pg_extension WHERE extname = 'hrguard')::oid[]);

-- every table and view of the schema is closed to PUBLIC
SELECT c.relname AS open_to_public
  FROM pg_class c
 WHERE c.relnamespace = 'hrguard'::regnamespace
   AND c.relkind IN ('r', 'v', 'p')
   AND EXISTS (SELECT FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
				WHERE a.grantee = 0)
 ORDER BY 1;

-- every SECURITY DEFINER function pins a safe search_path
SELECT p.oid::regprocedure::text AS unsafe_definer
  FROM pg_proc p
 WHERE p.pronamespace = 'hrguard'::regnamespace
   AND p.prosecdef
   AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
 ORDER BY 1;

-- every object of the extension has a comment
SELECT pg_describe_object(d.classid, d.objid, 0) AS uncommented
  FROM pg_depend d
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'hrguard')
   AND d.deptype = 'e'
   AND d.classid IN ('pg_class'::regclass, 'pg_proc'::regclass)
   AND obj_description(d.objid, d.classid::regclass::name) IS NULL
   AND NOT (d.classid = 'pg_class'::regclass
			AND (SELECT relkind FROM pg_class WHERE oid = d.objid) IN ('i', 'S'))
 ORDER BY 1;
