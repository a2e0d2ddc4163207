-- schedule.sql -- working windows and the tenant calendar (schedule.c).
--
-- A schedule is a set of weekly windows in local time.  A window whose end
-- is not after its start ends on the next day (22:00-06:00); '24:00' ends at
-- midnight.  The tenant calendar overrides the week for single dates: a
-- holiday has no windows, a make-up working day (调休) gets the windows of
-- the weekday it "works like" (by default its own weekday if the schedule
-- has windows then, otherwise Monday).

CREATE TABLE hrguard.schedule (
	schedule_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant_id		text NOT NULL DEFAULT 'default',
	name			text NOT NULL,
	timezone		text,
	vendor_ref		text COLLATE pg_catalog."C",
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),

	CONSTRAINT schedule_name_unique UNIQUE (tenant_id, name),
	CONSTRAINT schedule_vendor_ref_unique UNIQUE (tenant_id, vendor_ref),
	CONSTRAINT schedule_name_not_blank
		CHECK (pg_catalog.btrim(name) OPERATOR(pg_catalog.<>) ''),
	CONSTRAINT schedule_timezone_valid
		CHECK (hrguard.is_timezone(timezone))
);
REVOKE ALL ON hrguard.schedule FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.schedule', '');
-- and its identity, so that ids continue after a restore
SELECT pg_catalog.pg_extension_config_dump('hrguard.schedule_schedule_id_seq', '');
COMMENT ON TABLE hrguard.schedule IS
	'named sets of weekly working windows (employees'' hours, zones'' opening hours)';
COMMENT ON COLUMN hrguard.schedule.vendor_ref IS
	'the vendor attendance rule this schedule was imported from (import_wecom_checkin_option); unique per tenant';
COMMENT ON COLUMN hrguard.schedule.timezone IS
	'time zone of the windows; NULL: the employee''s time zone for an employee''s schedule, hrguard.default_timezone for a zone''s';

CREATE TABLE hrguard.schedule_window (
	schedule_id		bigint NOT NULL REFERENCES hrguard.schedule ON DELETE CASCADE,
	isodow			smallint NOT NULL,
	starts_at		time NOT NULL,
	ends_at			time NOT NULL,

	PRIMARY KEY (schedule_id, isodow, starts_at),
	CONSTRAINT schedule_window_isodow_valid
		CHECK (isodow OPERATOR(pg_catalog.>=) 1 AND isodow OPERATOR(pg_catalog.<=) 7),
	CONSTRAINT schedule_window_not_empty
		CHECK (starts_at OPERATOR(pg_catalog.<>) ends_at),
	CONSTRAINT schedule_window_starts_before_midnight
		CHECK (starts_at OPERATOR(pg_catalog.<) '24:00'::time)
);
REVOKE ALL ON hrguard.schedule_window FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.schedule_window', '');
COMMENT ON TABLE hrguard.schedule_window IS
	'one weekly window of a schedule: ISO weekday (1 = Monday) and local start and end';
COMMENT ON COLUMN hrguard.schedule_window.ends_at IS
	'local end; not after starts_at means the window ends on the next day';

CREATE TABLE hrguard.calendar_day (
	tenant_id		text NOT NULL DEFAULT 'default',
	day				date NOT NULL,
	is_workday		boolean NOT NULL,
	works_like		smallint,
	name			text,

	PRIMARY KEY (tenant_id, day),
	CONSTRAINT calendar_day_works_like_valid
		CHECK (works_like OPERATOR(pg_catalog.>=) 1 AND works_like OPERATOR(pg_catalog.<=) 7),
	CONSTRAINT calendar_day_works_like_only_on_workdays
		CHECK (works_like IS NULL OR is_workday)
);
REVOKE ALL ON hrguard.calendar_day FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.calendar_day', '');
COMMENT ON TABLE hrguard.calendar_day IS
	'per-date overrides of the week: public holidays and make-up working days';
COMMENT ON COLUMN hrguard.calendar_day.works_like IS
	'on a make-up working day, the ISO weekday whose windows apply';

ALTER TABLE hrguard.employee
	ADD CONSTRAINT employee_schedule_fk
	FOREIGN KEY (schedule_id) REFERENCES hrguard.schedule;
