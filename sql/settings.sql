-- settings: the module's version and the hrguard.* settings it defines.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SELECT hrguard.version() ~ '^\d+\.\d+\.\d+$' AS version_is_semver;
SELECT name, setting, description FROM hrguard.settings() ORDER BY name;
SET hrguard.default_timezone = 'America/New_York';
SELECT name, setting FROM hrguard.settings() ORDER BY name;
SELECT hrguard.default_timezone();
RESET hrguard.default_timezone;
SELECT hrguard.is_timezone('Asia/Shanghai') AS shanghai,
	   hrguard.is_timezone('asia/shanghai') AS lower_case,
	   hrguard.is_timezone('Mars/Olympus') AS mars,
	   hrguard.is_timezone('') AS empty;
