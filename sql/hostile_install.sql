-- hostile_install: an unprivileged user owns objects named like hrguard's in
-- public (where PostGIS lives, so on the install-time search_path); neither
-- the install nor later use may call them.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
-- the database this file runs in, to come back to at the end
SELECT current_database() AS regress_db \gset
CREATE DATABASE regress_hrguard_hostile;
\c regress_hrguard_hostile
SET client_min_messages = warning;
\set VERBOSITY terse
CREATE ROLE regress_hrguard_mallory;
GRANT CREATE ON DATABASE regress_hrguard_hostile TO regress_hrguard_mallory;
GRANT CREATE ON SCHEMA public TO regress_hrguard_mallory;

SET ROLE regress_hrguard_mallory;
CREATE TABLE public.captured (what text, run_as text);
GRANT ALL ON public.captured TO PUBLIC;
CREATE FUNCTION public.trap(what text) RETURNS void LANGUAGE sql
	AS $$ INSERT INTO public.captured VALUES (what, current_user) $$;
-- look-alikes with argument types an unqualified call would prefer
CREATE FUNCTION public.btrim(varchar) RETURNS text LANGUAGE sql
	AS $$ SELECT public.trap('btrim'); SELECT 'x'::text $$;
CREATE FUNCTION public.btrim(name) RETURNS text LANGUAGE sql
	AS $$ SELECT public.trap('btrim(name)'); SELECT 'x'::text $$;
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql
	AS $$ SELECT public.trap('now'); SELECT 'epoch'::timestamptz $$;
CREATE FUNCTION public.is_timezone(text) RETURNS boolean LANGUAGE sql
	AS $$ SELECT public.trap('is_timezone'); SELECT true $$;
CREATE FUNCTION public.default_timezone() RETURNS text LANGUAGE sql
	AS $$ SELECT public.trap('default_timezone'); SELECT 'UTC'::text $$;
CREATE FUNCTION public.version() RETURNS text LANGUAGE sql
	AS $$ SELECT public.trap('version'); SELECT 'evil'::text $$;
CREATE FUNCTION public.text_ne_trap(text, text) RETURNS boolean LANGUAGE sql
	AS $$ SELECT public.trap('<>'); SELECT true $$;
CREATE OPERATOR public.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = public.text_ne_trap);
CREATE FUNCTION public.text_eq_trap(text, text) RETURNS boolean LANGUAGE sql
	AS $$ SELECT public.trap('='); SELECT true $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.text_eq_trap);
CREATE TABLE public.employee (employee_id text);
GRANT ALL ON public.employee TO PUBLIC;
-- a schema named like ours, prepared in advance
CREATE SCHEMA hrguard;
RESET ROLE;

-- a schema owned by someone else is refused
CREATE EXTENSION hrguard CASCADE;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'hrguard';
DROP SCHEMA hrguard;

CREATE EXTENSION hrguard CASCADE;

-- use it the way a careless application would: public first
SET search_path = public, hrguard, pg_catalog;
INSERT INTO hrguard.employee (employee_id, display_name) VALUES ('H1', 'ok');
INSERT INTO hrguard.employee (employee_id, work_mode) VALUES ('H2', 'bogus');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, timezone) VALUES ('H3', 'Mars/Olympus');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id) VALUES ('  ');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.version() OPERATOR(pg_catalog.=) extversion AS real_version
  FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'hrguard';
SELECT employee_id, timezone FROM hrguard.employee ORDER BY employee_id;
RESET search_path;

-- none of the look-alikes ran
SELECT what, run_as FROM public.captured ORDER BY what;
SELECT count(*) AS rows_in_lookalike FROM public.employee;

\c :regress_db
SET client_min_messages = warning;
DROP DATABASE regress_hrguard_hostile;
DROP ROLE regress_hrguard_mallory;
