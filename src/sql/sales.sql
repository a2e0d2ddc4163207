-- sales.sql -- the facts scoring reads: the customer master, visits,
-- sales, daily reports and approved leave (sales_facts.c records each
-- row in an evidence chain and keeps them append-only).

CREATE TABLE hrguard.customer (
	customer_id		text COLLATE pg_catalog."C" NOT NULL,
	tenant_id		text NOT NULL DEFAULT 'default',
	name			text NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by		text COLLATE pg_catalog."C" REFERENCES hrguard.employee,
	PRIMARY KEY (customer_id, tenant_id),	-- each tenant has its own master
	CONSTRAINT customer_id_not_blank
		CHECK (customer_id OPERATOR(pg_catalog.~) '[^[:space:]]'),
	CONSTRAINT customer_tenant_not_blank
		CHECK (tenant_id OPERATOR(pg_catalog.~) '[^[:space:]]'),
	CONSTRAINT customer_name_not_blank
		CHECK (name OPERATOR(pg_catalog.~) '[^[:space:]]'),
	CONSTRAINT customer_time_recordable
		CHECK (created_at OPERATOR(pg_catalog.>=) '1700-01-01 00:00+00' AND created_at OPERATOR(pg_catalog.<) '2200-01-01 00:00+00')
);
REVOKE ALL ON hrguard.customer FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.customer', '');
COMMENT ON TABLE hrguard.customer IS
	'the customer master of each tenant: who created each customer, and when';

CREATE TABLE hrguard.visit (
	visit_id		text COLLATE pg_catalog."C" PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL REFERENCES hrguard.employee,
	customer_id		text COLLATE pg_catalog."C" NOT NULL,
	started_at		timestamptz NOT NULL,
	ended_at		timestamptz NOT NULL,
	punch_id		bigint,
	CONSTRAINT visit_id_not_blank
		CHECK (visit_id OPERATOR(pg_catalog.~) '[^[:space:]]'),
	CONSTRAINT visit_customer_not_blank
		CHECK (customer_id OPERATOR(pg_catalog.~) '[^[:space:]]'),
	CONSTRAINT visit_ends_after_start
		CHECK (ended_at OPERATOR(pg_catalog.>=) started_at),
	CONSTRAINT visit_times_recordable
		CHECK (started_at OPERATOR(pg_catalog.>=) '1700-01-01 00:00+00' AND started_at OPERATOR(pg_catalog.<) '2200-01-01 00:00+00' AND ended_at OPERATOR(pg_catalog.>=) '1700-01-01 00:00+00' AND ended_at OPERATOR(pg_catalog.<) '2200-01-01 00:00+00')
);
CREATE INDEX visit_employee_customer_idx ON hrguard.visit (employee_id, customer_id, started_at);
REVOKE ALL ON hrguard.visit FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.visit', '');
COMMENT ON TABLE hrguard.visit IS
	'customer visits entered in the CRM; visit punches inside a client zone linked to a customer count too (hrguard.customer_visits)';

CREATE TABLE hrguard.sale (
	sale_id			text COLLATE pg_catalog."C" PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL REFERENCES hrguard.employee,
	customer_id		text COLLATE pg_catalog."C" NOT NULL,
	closed_at		timestamptz NOT NULL,
	amount			numeric NOT NULL,
	visit_id		text COLLATE pg_catalog."C" REFERENCES hrguard.visit,
	CONSTRAINT sale_id_not_blank
		CHECK (sale_id OPERATOR(pg_catalog.~) '[^[:space:]]'),
	CONSTRAINT sale_customer_not_blank
		CHECK (customer_id OPERATOR(pg_catalog.~) '[^[:space:]]'),
	CONSTRAINT sale_amount_not_negative
		CHECK (amount OPERATOR(pg_catalog.>=) 0 AND amount OPERATOR(pg_catalog.<) 'Infinity'::pg_catalog.numeric
			   AND amount OPERATOR(pg_catalog.<>) 'NaN'::pg_catalog.numeric),
	-- scoring sums amounts in double precision: 15 significant digits
	CONSTRAINT sale_amount_recordable
		CHECK (amount OPERATOR(pg_catalog.<) 1e15),
	CONSTRAINT sale_time_recordable
		CHECK (closed_at OPERATOR(pg_catalog.>=) '1700-01-01 00:00+00' AND closed_at OPERATOR(pg_catalog.<) '2200-01-01 00:00+00')
);
CREATE INDEX sale_employee_time_idx ON hrguard.sale (employee_id, closed_at);
REVOKE ALL ON hrguard.sale FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.sale', '');
COMMENT ON TABLE hrguard.sale IS
	'closed deals; a customer missing from the master is a signal, not an error';

CREATE TABLE hrguard.daily_report (
	employee_id		text COLLATE pg_catalog."C" NOT NULL REFERENCES hrguard.employee,
	report_date		date NOT NULL,
	submitted_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	hours			numeric NOT NULL,
	visits			jsonb,
	PRIMARY KEY (employee_id, report_date),
	CONSTRAINT daily_report_hours_valid
		CHECK (hours OPERATOR(pg_catalog.>=) 0 AND hours OPERATOR(pg_catalog.<=) 24),
	CONSTRAINT daily_report_time_recordable
		CHECK (submitted_at OPERATOR(pg_catalog.>=) '1700-01-01 00:00+00' AND submitted_at OPERATOR(pg_catalog.<) '2200-01-01 00:00+00'
			   AND report_date OPERATOR(pg_catalog.>=) '1700-01-01' AND report_date OPERATOR(pg_catalog.<) '2200-01-01')
);
REVOKE ALL ON hrguard.daily_report FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.daily_report', '');
COMMENT ON TABLE hrguard.daily_report IS
	'the daily work report an employee submits: hours worked and visits made; one per employee and day, not for a day after its submission';

CREATE TABLE hrguard.leave (
	leave_id		text COLLATE pg_catalog."C" PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL REFERENCES hrguard.employee,
	starts_at		timestamptz NOT NULL,
	ends_at			timestamptz NOT NULL,
	kind			text NOT NULL DEFAULT 'annual',
	approved_at		timestamptz NOT NULL,
	CONSTRAINT leave_id_not_blank
		CHECK (leave_id OPERATOR(pg_catalog.~) '[^[:space:]]'),
	CONSTRAINT leave_kind_not_blank
		CHECK (kind OPERATOR(pg_catalog.~) '[^[:space:]]'),
	CONSTRAINT leave_ends_after_start
		CHECK (ends_at OPERATOR(pg_catalog.>) starts_at),
	CONSTRAINT leave_times_recordable
		CHECK (starts_at OPERATOR(pg_catalog.>=) '1700-01-01 00:00+00' AND starts_at OPERATOR(pg_catalog.<) '2200-01-01 00:00+00' AND ends_at OPERATOR(pg_catalog.>=) '1700-01-01 00:00+00' AND ends_at OPERATOR(pg_catalog.<) '2200-01-01 00:00+00'
			   AND approved_at OPERATOR(pg_catalog.>=) '1700-01-01 00:00+00' AND approved_at OPERATOR(pg_catalog.<) '2200-01-01 00:00+00')
);
CREATE INDEX leave_employee_time_idx ON hrguard.leave (employee_id, starts_at);
REVOKE ALL ON hrguard.leave FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.leave', '');
COMMENT ON TABLE hrguard.leave IS
	'approved leave: its time is not expected to be worked';

CREATE FUNCTION hrguard.fact_record()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_fact_record';
CREATE FUNCTION hrguard.fact_record_flush()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_fact_record_flush';
CREATE FUNCTION hrguard.fact_keep()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_fact_keep';
REVOKE ALL ON FUNCTION hrguard.fact_record(), hrguard.fact_record_flush(), hrguard.fact_keep() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.fact_record() IS
	'customer, visit, sale, daily_report and leave trigger: numbers each stored row''s evidence entry';
COMMENT ON FUNCTION hrguard.fact_record_flush() IS
	'customer, visit, sale, daily_report and leave statement trigger: writes the statement''s evidence entries';
COMMENT ON FUNCTION hrguard.fact_keep() IS
	'customer, visit, sale, daily_report and leave trigger: recorded facts are not changed, deleted or truncated';

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['customer', 'visit', 'sale', 'daily_report', 'leave'] LOOP
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER %1$s_record AFTER INSERT ON hrguard.%1$s '
			'FOR EACH ROW EXECUTE FUNCTION hrguard.fact_record()', t);
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER %1$s_record_flush AFTER INSERT ON hrguard.%1$s '
			'FOR EACH STATEMENT EXECUTE FUNCTION hrguard.fact_record_flush()', t);
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER %1$s_keep BEFORE UPDATE OR DELETE ON hrguard.%1$s '
			'FOR EACH ROW EXECUTE FUNCTION hrguard.fact_keep()', t);
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER %1$s_keep_truncate BEFORE TRUNCATE ON hrguard.%1$s '
			'FOR EACH STATEMENT EXECUTE FUNCTION hrguard.fact_keep()', t);
		EXECUTE pg_catalog.format(
			'ALTER TABLE hrguard.%1$s ENABLE ALWAYS TRIGGER %1$s_record, ENABLE ALWAYS TRIGGER %1$s_record_flush, '
			'ENABLE ALWAYS TRIGGER %1$s_keep, ENABLE ALWAYS TRIGGER %1$s_keep_truncate', t);
	END LOOP;
END
$$;

-- a daily report is not for a day after the one it was submitted on, in
-- the employee's time zone
CREATE FUNCTION hrguard.daily_report_check()
	RETURNS trigger
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	tz text;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'hrguard.daily_report'::pg_catalog.regclass
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('%s fired where hrguard did not attach it', TG_NAME);
	END IF;
	SELECT e.timezone INTO tz FROM hrguard.employee e
	 WHERE e.employee_id OPERATOR(pg_catalog.=) NEW.employee_id;
	IF NEW.report_date OPERATOR(pg_catalog.>)
	   (NEW.submitted_at AT TIME ZONE COALESCE(tz, hrguard.default_timezone()))::pg_catalog.date THEN
		RAISE EXCEPTION USING
			ERRCODE = 'datetime_field_overflow',
			MESSAGE = pg_catalog.format('a daily report for %s cannot be submitted before that day',
										NEW.report_date),
			DETAIL = pg_catalog.format('It was submitted on %s in the employee''s time zone.',
									   (NEW.submitted_at AT TIME ZONE COALESCE(tz, hrguard.default_timezone()))::pg_catalog.date);
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION hrguard.daily_report_check() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.daily_report_check() IS
	'daily_report trigger: a report is not for a day after the one it was submitted on';
CREATE TRIGGER daily_report_check BEFORE INSERT ON hrguard.daily_report
	FOR EACH ROW EXECUTE FUNCTION hrguard.daily_report_check();
ALTER TABLE hrguard.daily_report ENABLE ALWAYS TRIGGER daily_report_check;

-- visits: those entered, and visit punches inside a client zone that
-- names its customer
CREATE VIEW hrguard.customer_visits WITH (security_invoker = true) AS
SELECT v.employee_id, v.customer_id, v.started_at, v.ended_at, 'crm'::pg_catalog.text AS source,
	   v.visit_id, v.punch_id
  FROM hrguard.visit v
UNION ALL
SELECT p.employee_id, z.customer_id, p.punched_at, p.punched_at, 'punch', NULL, p.punch_id
  FROM hrguard.punch p
  JOIN hrguard.zone z ON z.zone_id OPERATOR(pg_catalog.=) p.zone_id
 WHERE p.check_type OPERATOR(pg_catalog.=) 'visit'
   AND p.verdict OPERATOR(pg_catalog.=) 'inside'
   AND z.kind OPERATOR(pg_catalog.=) 'client'
   AND z.customer_id IS NOT NULL;
COMMENT ON VIEW hrguard.customer_visits IS
	'visits to customers: entered in the CRM, and visit punches inside a client zone linked to the customer';
