-- settings.sql -- the functions that describe the installed module (hrguard.c).

CREATE FUNCTION hrguard.version()
	RETURNS text
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_version';
COMMENT ON FUNCTION hrguard.version() IS
	'version of the loaded hrguard library';

CREATE FUNCTION hrguard.default_timezone()
	RETURNS text
	LANGUAGE c STABLE PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_default_timezone_value';
COMMENT ON FUNCTION hrguard.default_timezone() IS
	'current value of the hrguard.default_timezone setting';

CREATE FUNCTION hrguard.is_timezone(name text)
	RETURNS boolean
	LANGUAGE c STABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_is_timezone';
COMMENT ON FUNCTION hrguard.is_timezone(text) IS
	'true when the server knows the named time zone';

CREATE FUNCTION hrguard.settings(
		OUT name text,
		OUT setting text,
		OUT description text)
	RETURNS SETOF record
	LANGUAGE c STABLE PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_settings';
COMMENT ON FUNCTION hrguard.settings() IS
	'every hrguard.* setting with its value in this session';
