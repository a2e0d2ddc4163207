-- drop_guard: dropping hrguard while it holds evidence is refused (2BP01)
-- whichever way it is asked for: DROP EXTENSION, DROP SCHEMA ... CASCADE,
-- DROP EXTENSION postgis CASCADE; a superuser who sets
-- hrguard.allow_drop_evidence drops it; without evidence it drops as any
-- extension.  In a database of its own.
\set VERBOSITY terse
SET client_min_messages = warning;
SELECT current_database() AS regress_db \gset
CREATE DATABASE regress_hrguard_drop_guard;
\c regress_hrguard_drop_guard
SET client_min_messages = warning;
CREATE EXTENSION hrguard CASCADE;

-- no evidence yet: dropped and created again as any extension
DROP EXTENSION hrguard;
CREATE EXTENSION hrguard;

INSERT INTO hrguard.employee (employee_id) VALUES ('DG1'), ('DG2');
SELECT hrguard.record_evidence('DG1', 'note', '{"text": "one"}', '2026-11-20 09:00+08') AS seq;
SELECT hrguard.record_evidence('DG1', 'note', '{"text": "two"}', '2026-11-20 10:00+08') AS seq;
SELECT hrguard.record_evidence('DG2', 'note', '{"text": "three"}', '2026-11-20 11:00+08') AS seq;

\set VERBOSITY default
DROP EXTENSION hrguard;
\set VERBOSITY terse
DROP EXTENSION hrguard CASCADE;
DROP SCHEMA hrguard CASCADE;
DROP EXTENSION postgis CASCADE;
DROP EXTENSION IF EXISTS hrguard, postgis CASCADE;
DROP SCHEMA public CASCADE;
-- dropping something else is not held up
CREATE SCHEMA dg_other;
DROP SCHEMA dg_other CASCADE;
SELECT count(*) AS entries_kept FROM hrguard.evidence;

-- the setting is a superuser's
CREATE ROLE regress_dg_owner;
SET ROLE regress_dg_owner;
SET hrguard.allow_drop_evidence = on;
RESET ROLE;
DROP ROLE regress_dg_owner;

-- a superuser who means it
BEGIN;
SET LOCAL hrguard.allow_drop_evidence = on;
DROP EXTENSION hrguard;
COMMIT;
SELECT count(*) AS hrguard_installed FROM pg_extension WHERE extname = 'hrguard';

\c :regress_db
DROP DATABASE regress_hrguard_drop_guard;
