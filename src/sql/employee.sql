-- employee.sql -- the employee registry (DESIGN section 4, "Registry").
--
-- Every fact hrguard keeps belongs to one employee of one tenant.  Values
-- with a fixed vocabulary are checked by named constraints, so a bad value
-- fails with SQLSTATE 23514 and the constraint's name says which column.

CREATE TABLE hrguard.employee (
	employee_id		text COLLATE pg_catalog."C" PRIMARY KEY,
	tenant_id		text NOT NULL DEFAULT 'default',
	display_name	text,
	team			text,
	role			text,
	work_mode		text NOT NULL DEFAULT 'field',
	timezone		text NOT NULL DEFAULT hrguard.default_timezone(),
	schedule_id		bigint,
	hired_on		date,
	left_on			date,
	dingtalk_userid text UNIQUE,
	wecom_userid	text UNIQUE,
	db_role			name UNIQUE,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),

	CONSTRAINT employee_id_not_blank
		CHECK (pg_catalog.btrim(employee_id) OPERATOR(pg_catalog.<>) ''),
	CONSTRAINT employee_id_length
		CHECK (pg_catalog.octet_length(employee_id) OPERATOR(pg_catalog.<) 128),
	-- "tenant:<id>" names the evidence chain of a tenant's customers
	CONSTRAINT employee_id_not_a_tenant_chain
		CHECK (employee_id OPERATOR(pg_catalog.!~~) 'tenant:%'),
	-- "case:<id>" names the custody chain of a case
	CONSTRAINT employee_id_not_a_case_chain
		CHECK (employee_id OPERATOR(pg_catalog.!~~) 'case:%'),
	CONSTRAINT employee_tenant_id_not_blank
		CHECK (pg_catalog.btrim(tenant_id) OPERATOR(pg_catalog.<>) ''),
	CONSTRAINT employee_work_mode_valid
		CHECK (work_mode OPERATOR(pg_catalog.=) ANY
			   (ARRAY['office', 'field', 'remote']::pg_catalog.text[])),
	CONSTRAINT employee_timezone_valid
		CHECK (hrguard.is_timezone(timezone)),
	CONSTRAINT employee_left_after_hired
		CHECK (left_on OPERATOR(pg_catalog.>=) hired_on),
	CONSTRAINT employee_dingtalk_userid_not_blank
		CHECK (pg_catalog.btrim(dingtalk_userid) OPERATOR(pg_catalog.<>) ''),
	CONSTRAINT employee_wecom_userid_not_blank
		CHECK (pg_catalog.btrim(wecom_userid) OPERATOR(pg_catalog.<>) '')
);

CREATE INDEX employee_tenant_team_idx
	ON hrguard.employee (tenant_id, team, role);

REVOKE ALL ON hrguard.employee FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.employee', '');

COMMENT ON TABLE hrguard.employee IS
	'employee registry: one row per monitored employee';
COMMENT ON COLUMN hrguard.employee.employee_id IS
	'the HR system''s employee identifier';
COMMENT ON COLUMN hrguard.employee.tenant_id IS
	'company (tenant) the employee belongs to; zones and peers are per tenant';
COMMENT ON COLUMN hrguard.employee.team IS
	'team, used for zone assignment and peer groups';
COMMENT ON COLUMN hrguard.employee.role IS
	'job role, used for peer groups';
COMMENT ON COLUMN hrguard.employee.work_mode IS
	'office, field or remote';
COMMENT ON COLUMN hrguard.employee.timezone IS
	'time zone of the employee''s working windows (default: hrguard.default_timezone)';
COMMENT ON COLUMN hrguard.employee.schedule_id IS
	'weekly working windows; NULL means Monday to Friday, 09:00 to 18:00 local time';
COMMENT ON COLUMN hrguard.employee.hired_on IS
	'first day of employment';
COMMENT ON COLUMN hrguard.employee.left_on IS
	'last day of employment; NULL while employed';
COMMENT ON COLUMN hrguard.employee.dingtalk_userid IS
	'DingTalk userid, for ingesting DingTalk attendance records';
COMMENT ON COLUMN hrguard.employee.wecom_userid IS
	'WeCom userid, for ingesting WeCom check-in records';
COMMENT ON COLUMN hrguard.employee.db_role IS
	'database login of the employee, for access to their own data';
