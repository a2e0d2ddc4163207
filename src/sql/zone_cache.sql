-- zone_cache.sql -- keeping every backend's zone cache current, and asking
-- it what a punch would be (zone_cache.c, classify.c).

CREATE FUNCTION hrguard.config_changed()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_config_changed';
REVOKE ALL ON FUNCTION hrguard.config_changed() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.config_changed() IS
	'statement trigger: after a committed change, every backend rebuilds its zone cache';

CREATE TRIGGER zone_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hrguard.zone
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.config_changed();
ALTER TABLE hrguard.zone ENABLE ALWAYS TRIGGER zone_config_changed;
CREATE TRIGGER zone_assignment_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hrguard.zone_assignment
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.config_changed();
ALTER TABLE hrguard.zone_assignment ENABLE ALWAYS TRIGGER zone_assignment_config_changed;
CREATE TRIGGER schedule_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hrguard.schedule
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.config_changed();
ALTER TABLE hrguard.schedule ENABLE ALWAYS TRIGGER schedule_config_changed;
CREATE TRIGGER schedule_window_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hrguard.schedule_window
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.config_changed();
ALTER TABLE hrguard.schedule_window ENABLE ALWAYS TRIGGER schedule_window_config_changed;
CREATE TRIGGER calendar_day_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hrguard.calendar_day
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.config_changed();
ALTER TABLE hrguard.calendar_day ENABLE ALWAYS TRIGGER calendar_day_config_changed;
CREATE TRIGGER employee_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hrguard.employee
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.config_changed();
ALTER TABLE hrguard.employee ENABLE ALWAYS TRIGGER employee_config_changed;

CREATE FUNCTION hrguard.classify_point(
		employee_id text,
		at timestamptz,
		lat float8,
		lon float8,
		accuracy_m float8 DEFAULT 0,
		datum text DEFAULT 'wgs84',
		OUT verdict text,
		OUT zone_id bigint,
		OUT zone_name text,
		OUT zone_distance_m float8,
		OUT watched_zone_id bigint,
		OUT watched_zone_name text,
		OUT watched_zone_kind text,
		OUT watched_verdict text,
		OUT off_hours boolean,
		OUT local_time timestamp,
		OUT no_allowed_zone boolean)
	LANGUAGE c STABLE
	AS 'MODULE_PATHNAME', 'hrguard_classify_point';
REVOKE ALL ON FUNCTION hrguard.classify_point(text, timestamptz, float8, float8, float8, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.classify_point(text, timestamptz, float8, float8, float8, text) IS
	'what a punch by the employee at that moment and place would be, without recording it';

CREATE FUNCTION hrguard.zone_locate(zone_id bigint, lat float8, lon float8,
		accuracy_m float8 DEFAULT 0)
	RETURNS text
	LANGUAGE c STABLE STRICT
	AS 'MODULE_PATHNAME', 'hrguard_zone_locate';
REVOKE ALL ON FUNCTION hrguard.zone_locate(bigint, float8, float8, float8) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.zone_locate(bigint, float8, float8, float8) IS
	'inside, outside or uncertain: a WGS-84 point with an accuracy against one zone''s shape (the boundary counts as inside)';

CREATE FUNCTION hrguard.zone_distance(zone_id bigint, lat float8, lon float8)
	RETURNS float8
	LANGUAGE c STABLE STRICT
	AS 'MODULE_PATHNAME', 'hrguard_zone_distance';
REVOKE ALL ON FUNCTION hrguard.zone_distance(bigint, float8, float8) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.zone_distance(bigint, float8, float8) IS
	'metres from a WGS-84 point to a zone''s edge, positive inside';

CREATE FUNCTION hrguard.zone_cache_stats(
		OUT zones integer,
		OUT vertices bigint,
		OUT grid_cells integer,
		OUT grid_entries bigint,
		OUT large_zones integer,
		OUT memory_bytes bigint)
	LANGUAGE c STABLE
	AS 'MODULE_PATHNAME', 'hrguard_zone_cache_stats';
REVOKE ALL ON FUNCTION hrguard.zone_cache_stats() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.zone_cache_stats() IS
	'size of this session''s zone cache: zones, polygon vertices, grid, memory';
