-- postgis_schema: hrguard installs and works with PostGIS in a schema of
-- its own, and with a search_path that names neither.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
-- the database this file runs in, to come back to at the end
SELECT current_database() AS regress_db \gset
CREATE DATABASE regress_hrguard_gis;
\c regress_hrguard_gis
SET client_min_messages = warning;
CREATE SCHEMA gis;
SET search_path = gis;
CREATE EXTENSION hrguard CASCADE;
RESET search_path;
SELECT e.extname, n.nspname AS schema
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname IN ('hrguard', 'postgis')
 ORDER BY e.extname;
SELECT count(*) AS postgis_in_public
  FROM pg_proc WHERE proname = 'st_covers' AND pronamespace = 'public'::regnamespace;
SET search_path = pg_catalog;
INSERT INTO hrguard.employee (employee_id, team) VALUES ('G1', 'north');
SELECT employee_id, team, timezone FROM hrguard.employee;
RESET search_path;
\c :regress_db
SET client_min_messages = warning;
DROP DATABASE regress_hrguard_gis;
