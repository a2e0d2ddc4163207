-- drop_guard.sql -- DROP EXTENSION hrguard (or DROP SCHEMA hrguard, or a
-- cascading drop of what hrguard needs) is refused while evidence exists,
-- unless a superuser sets hrguard.allow_drop_evidence (drop_guard.c).

CREATE FUNCTION hrguard.drop_guard()
	RETURNS event_trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_drop_guard';
REVOKE ALL ON FUNCTION hrguard.drop_guard() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.drop_guard() IS
	'event trigger: refuses to drop hrguard while it holds evidence';

CREATE EVENT TRIGGER hrguard_drop_guard ON ddl_command_start
	WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
	EXECUTE FUNCTION hrguard.drop_guard();
