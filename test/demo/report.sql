-- report.sql -- what "make demo" prints after loading the scenario.

\echo
\echo '== hrguard version'
SELECT hrguard.version() AS library, e.extversion AS installed
  FROM pg_catalog.pg_extension e WHERE e.extname = 'hrguard';

\echo '== settings (hrguard.*)'
SELECT name, setting, description FROM hrguard.settings() ORDER BY name;

\echo '== employee registry'
SELECT employee_id, display_name, team, role, work_mode, timezone, hired_on
  FROM hrguard.employee ORDER BY employee_id;
