-- contract.sql -- labour contracts, non-compete and confidentiality
-- clauses, non-compete compensation payments, and the daily run that
-- reminds before a contract or a non-compete ends and alerts a late
-- payment.
--
-- A contract and a payment are facts: inserted by the application (with
-- INSERT granted), checked by a BEFORE INSERT trigger, recorded in the
-- employee's evidence chain by an AFTER INSERT trigger (so only for rows
-- actually stored: not for one ON CONFLICT DO NOTHING skipped), never
-- changed or removed.  A reminder or a
-- late payment is raised once, by hrguard.run_daily(day), as an alert
-- (hrguard.alert, its evidence entry, NOTIFY per hrguard.notify_mode) and
-- NOTIFY hrguard_reminder; hrguard.contract_notice remembers what was
-- raised, so that running a day twice raises nothing new.

-- the last day of a period of whole months that starts on a day: the day
-- before the corresponding day of the last month, or that month's last day
-- when it has no corresponding day (Civil Code Art. 201-203): from 31
-- January, one month ends on 28 (29) February, two months on 30 March
CREATE FUNCTION hrguard.period_last_day(starts_on date, months integer)
	RETURNS date
	LANGUAGE sql IMMUTABLE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT CASE WHEN pg_catalog.date_part('day', $1 OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => $2))
				 OPERATOR(pg_catalog.<>) pg_catalog.date_part('day', $1)
			THEN ($1 OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => $2))::pg_catalog.date
			ELSE ($1 OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => $2))::pg_catalog.date OPERATOR(pg_catalog.-) 1 END
$$;
REVOKE ALL ON FUNCTION hrguard.period_last_day(date, integer) FROM PUBLIC;
-- arithmetic on its arguments, used by a constraint and by views read as their reader
GRANT EXECUTE ON FUNCTION hrguard.period_last_day(date, integer) TO PUBLIC;
COMMENT ON FUNCTION hrguard.period_last_day(date, integer) IS
	'the last day of a period of whole months starting on a day (Civil Code Art. 201-203)';

CREATE TABLE hrguard.contract (
	contract_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL REFERENCES hrguard.employee,
	kind			text NOT NULL,
	starts_on		date NOT NULL,
	ends_on			date,
	document_sha256	text NOT NULL,
	monthly_compensation numeric,
	clause			text,
	recorded_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),

	CONSTRAINT contract_kind_valid
		CHECK (kind OPERATOR(pg_catalog.=) ANY (ARRAY['labour', 'non_compete', 'confidentiality']::pg_catalog.text[])),
	CONSTRAINT contract_dates_valid
		CHECK (pg_catalog.isfinite(starts_on) AND (ends_on IS NULL OR
			   (pg_catalog.isfinite(ends_on) AND ends_on OPERATOR(pg_catalog.>=) starts_on))),
	CONSTRAINT contract_dates_recordable
		CHECK (starts_on OPERATOR(pg_catalog.>=) '1900-01-01' AND starts_on OPERATOR(pg_catalog.<) '2200-01-01'
			   AND (ends_on IS NULL OR ends_on OPERATOR(pg_catalog.<) '2200-01-01')),
	CONSTRAINT contract_document_sha256_valid
		CHECK (document_sha256 COLLATE "C" OPERATOR(pg_catalog.~) '^[0-9a-f]{64}$'),
	-- LCL Art. 24: at most two years after the work ends, compensated monthly
	CONSTRAINT contract_non_compete_terms
		CHECK (kind OPERATOR(pg_catalog.<>) 'non_compete'
			   OR (ends_on IS NOT NULL AND monthly_compensation IS NOT NULL
				   AND ends_on OPERATOR(pg_catalog.<=) hrguard.period_last_day(starts_on, 24))),
	CONSTRAINT contract_compensation_of_non_compete
		CHECK ((monthly_compensation IS NULL) OPERATOR(pg_catalog.=) (kind OPERATOR(pg_catalog.<>) 'non_compete')),
	CONSTRAINT contract_compensation_valid
		CHECK (monthly_compensation OPERATOR(pg_catalog.>) 0 AND monthly_compensation OPERATOR(pg_catalog.<) 1e12),
	CONSTRAINT contract_clause_length
		CHECK (pg_catalog.octet_length(clause) OPERATOR(pg_catalog.<=) 65536)
);
REVOKE ALL ON hrguard.contract FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.contract', '');
SELECT pg_catalog.pg_extension_config_dump('hrguard.contract_contract_id_seq', '');
CREATE INDEX contract_employee_idx ON hrguard.contract (employee_id, kind, starts_on);
COMMENT ON TABLE hrguard.contract IS
	'labour contracts, non-compete (LCL Art. 23-24) and confidentiality / no-moonlighting clauses, with the signed document''s SHA-256; append-only';
COMMENT ON COLUMN hrguard.contract.ends_on IS
	'the last day; NULL for an open-ended labour contract; of a non-compete, at most two years after starts_on';

CREATE TABLE hrguard.noncompete_payment (
	payment_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	contract_id		bigint NOT NULL REFERENCES hrguard.contract,
	month_no		integer NOT NULL,
	paid_on			date NOT NULL,
	amount			numeric NOT NULL,
	reference		text,
	recorded_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),

	CONSTRAINT noncompete_payment_month_valid CHECK (month_no OPERATOR(pg_catalog.>=) 1 AND month_no OPERATOR(pg_catalog.<=) 24),
	CONSTRAINT noncompete_payment_amount_valid
		CHECK (amount OPERATOR(pg_catalog.>) 0 AND amount OPERATOR(pg_catalog.<) 1e12),
	CONSTRAINT noncompete_payment_paid_on_valid
		CHECK (paid_on OPERATOR(pg_catalog.>=) '1900-01-01' AND paid_on OPERATOR(pg_catalog.<) '2200-01-01'),
	CONSTRAINT noncompete_payment_reference_length
		CHECK (pg_catalog.octet_length(reference) OPERATOR(pg_catalog.<=) 1024)
);
REVOKE ALL ON hrguard.noncompete_payment FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.noncompete_payment', '');
SELECT pg_catalog.pg_extension_config_dump('hrguard.noncompete_payment_payment_id_seq', '');
CREATE INDEX noncompete_payment_contract_idx ON hrguard.noncompete_payment (contract_id, month_no);
COMMENT ON TABLE hrguard.noncompete_payment IS
	'non-compete compensation paid, for month month_no of the restriction; append-only';

-- what run_daily() raised: one row per contract and threshold (days
-- before the end) or month unpaid; alert_id NULL for a threshold passed
-- over because a nearer one was reached first
CREATE TABLE hrguard.contract_notice (
	contract_id		bigint NOT NULL REFERENCES hrguard.contract,
	notice			text NOT NULL,
	threshold		integer NOT NULL,
	due_on			date NOT NULL,
	raised_for		date NOT NULL,
	alert_id		bigint,
	PRIMARY KEY (contract_id, notice, threshold),

	CONSTRAINT contract_notice_valid
		CHECK (notice OPERATOR(pg_catalog.=) ANY (ARRAY['expiry', 'payment_late']::pg_catalog.text[]))
);
REVOKE ALL ON hrguard.contract_notice FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.contract_notice', '');
COMMENT ON TABLE hrguard.contract_notice IS
	'the reminders and late-payment alerts run_daily() raised, once each; append-only';

CREATE TRIGGER contract_keep BEFORE UPDATE OR DELETE ON hrguard.contract
	FOR EACH ROW EXECUTE FUNCTION hrguard.keep_rows('a contract');
CREATE TRIGGER contract_keep_truncate BEFORE TRUNCATE ON hrguard.contract
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.keep_rows('a contract');
CREATE TRIGGER noncompete_payment_keep BEFORE UPDATE OR DELETE ON hrguard.noncompete_payment
	FOR EACH ROW EXECUTE FUNCTION hrguard.keep_rows('a non-compete payment');
CREATE TRIGGER noncompete_payment_keep_truncate BEFORE TRUNCATE ON hrguard.noncompete_payment
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.keep_rows('a non-compete payment');
CREATE TRIGGER contract_notice_keep BEFORE UPDATE OR DELETE ON hrguard.contract_notice
	FOR EACH ROW EXECUTE FUNCTION hrguard.keep_rows('a raised reminder');
CREATE TRIGGER contract_notice_keep_truncate BEFORE TRUNCATE ON hrguard.contract_notice
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.keep_rows('a raised reminder');
ALTER TABLE hrguard.contract ENABLE ALWAYS TRIGGER contract_keep;
ALTER TABLE hrguard.contract ENABLE ALWAYS TRIGGER contract_keep_truncate;
ALTER TABLE hrguard.noncompete_payment ENABLE ALWAYS TRIGGER noncompete_payment_keep;
ALTER TABLE hrguard.noncompete_payment ENABLE ALWAYS TRIGGER noncompete_payment_keep_truncate;
ALTER TABLE hrguard.contract_notice ENABLE ALWAYS TRIGGER contract_notice_keep;
ALTER TABLE hrguard.contract_notice ENABLE ALWAYS TRIGGER contract_notice_keep_truncate;

CREATE FUNCTION hrguard.record_fact(employee_id text, kind text, payload jsonb, occurred_at timestamptz)
	RETURNS bigint
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_record_fact';
REVOKE ALL ON FUNCTION hrguard.record_fact(text, text, jsonb, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.record_fact(text, text, jsonb, timestamptz) IS
	'internal: appends a contract or a non-compete payment to the employee''s chain; returns its seq';

CREATE FUNCTION hrguard.raise_alert(employee_id text, kind text, severity text, occurred_at timestamptz,
		reasons jsonb, source_key text, source_id bigint)
	RETURNS bigint
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_raise_alert';
REVOKE ALL ON FUNCTION hrguard.raise_alert(text, text, text, timestamptz, jsonb, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.raise_alert(text, text, text, timestamptz, jsonb, text, bigint) IS
	'internal: raises an alert with its evidence entry and its NOTIFY; returns its id';

-- the trigger functions of this file fire only where the install script
-- attached them: row triggers for INSERT on hrguard.contract and
-- hrguard.noncompete_payment, BEFORE or AFTER as each was made (39P01
-- elsewhere)
CREATE FUNCTION hrguard.contract_trigger_site(fn text, expected_when text, tg_schema name, tg_table name,
		tg_when text, tg_op text, tg_level text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF $3 OPERATOR(pg_catalog.<>) 'hrguard' OR NOT ($4 OPERATOR(pg_catalog.=) ANY (ARRAY['contract', 'noncompete_payment']))
	   OR $5 OPERATOR(pg_catalog.<>) $2 OR $6 OPERATOR(pg_catalog.<>) 'INSERT' OR $7 OPERATOR(pg_catalog.<>) 'ROW' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('hrguard.%s() fires only as hrguard''s %s INSERT row trigger on hrguard.contract and hrguard.noncompete_payment',
										$1, $2);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION hrguard.contract_trigger_site(text, text, name, name, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.contract_trigger_site(text, text, name, name, text, text, text) IS
	'internal: refuses a trigger function of contract.sql fired anywhere but where it was attached';

-- a contract or a payment as it enters: a payment of a non-compete, for a
-- month of its term, already made
CREATE FUNCTION hrguard.contract_fact_check()
	RETURNS trigger
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	c hrguard.contract;
BEGIN
	PERFORM hrguard.contract_trigger_site('contract_fact_check', 'BEFORE', TG_TABLE_SCHEMA, TG_TABLE_NAME,
										  TG_WHEN, TG_OP, TG_LEVEL);
	NEW.recorded_at := pg_catalog.now();
	IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'noncompete_payment' THEN
		SELECT * INTO c FROM hrguard.contract k WHERE k.contract_id OPERATOR(pg_catalog.=) NEW.contract_id;
		IF FOUND AND c.kind OPERATOR(pg_catalog.<>) 'non_compete' THEN
			RAISE EXCEPTION USING
				ERRCODE = 'check_violation',
				MESSAGE = pg_catalog.format('contract %s is not a non-compete', c.contract_id);
		END IF;
		IF FOUND AND NEW.month_no OPERATOR(pg_catalog.>) hrguard.noncompete_months(c) THEN
			RAISE EXCEPTION USING
				ERRCODE = 'check_violation',
				MESSAGE = pg_catalog.format('the non-compete %s lasts %s months, not %s', c.contract_id,
											hrguard.noncompete_months(c), NEW.month_no);
		END IF;
		IF NEW.paid_on OPERATOR(pg_catalog.>) (pg_catalog.timezone('UTC', pg_catalog.now()) OPERATOR(pg_catalog.+) '14 hours'::pg_catalog.interval)::pg_catalog.date THEN
			RAISE EXCEPTION USING
				ERRCODE = 'check_violation',
				MESSAGE = 'a payment cannot be recorded before it is made',
				DETAIL = 'paid_on is a day that has not begun anywhere.';
		END IF;
	END IF;
	RETURN NEW;					-- an unknown contract fails its foreign key
END
$$;
REVOKE ALL ON FUNCTION hrguard.contract_fact_check() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.contract_fact_check() IS
	'contract and noncompete_payment trigger: checks a payment against its non-compete, stamps recorded_at';

-- a contract or a payment stored: recorded in the employee's chain (after
-- the insert, so never for a row ON CONFLICT DO NOTHING skipped)
CREATE FUNCTION hrguard.contract_fact_record()
	RETURNS trigger
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	PERFORM hrguard.contract_trigger_site('contract_fact_record', 'AFTER', TG_TABLE_SCHEMA, TG_TABLE_NAME,
										  TG_WHEN, TG_OP, TG_LEVEL);
	IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'contract' THEN
		PERFORM hrguard.record_fact(NEW.employee_id, 'contract', pg_catalog.jsonb_build_object(
			'contract_id', NEW.contract_id, 'kind', NEW.kind, 'starts_on', NEW.starts_on, 'ends_on', NEW.ends_on,
			'document_sha256', NEW.document_sha256,
			'monthly_compensation', NEW.monthly_compensation::pg_catalog.text, 'clause', NEW.clause),
			NEW.recorded_at);
	ELSE
		PERFORM hrguard.record_fact(k.employee_id, 'noncompete_payment', pg_catalog.jsonb_build_object(
			'payment_id', NEW.payment_id, 'contract_id', NEW.contract_id, 'month_no', NEW.month_no,
			'paid_on', NEW.paid_on, 'amount', NEW.amount::pg_catalog.text, 'reference', NEW.reference),
			NEW.recorded_at)
		   FROM hrguard.contract k WHERE k.contract_id OPERATOR(pg_catalog.=) NEW.contract_id;
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION hrguard.contract_fact_record() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.contract_fact_record() IS
	'contract and noncompete_payment trigger: records each row stored in the employee''s evidence chain';

CREATE TRIGGER contract_check BEFORE INSERT ON hrguard.contract
	FOR EACH ROW EXECUTE FUNCTION hrguard.contract_fact_check();
CREATE TRIGGER contract_record AFTER INSERT ON hrguard.contract
	FOR EACH ROW EXECUTE FUNCTION hrguard.contract_fact_record();
CREATE TRIGGER noncompete_payment_check BEFORE INSERT ON hrguard.noncompete_payment
	FOR EACH ROW EXECUTE FUNCTION hrguard.contract_fact_check();
CREATE TRIGGER noncompete_payment_record AFTER INSERT ON hrguard.noncompete_payment
	FOR EACH ROW EXECUTE FUNCTION hrguard.contract_fact_record();
ALTER TABLE hrguard.contract ENABLE ALWAYS TRIGGER contract_check;
ALTER TABLE hrguard.contract ENABLE ALWAYS TRIGGER contract_record;
ALTER TABLE hrguard.noncompete_payment ENABLE ALWAYS TRIGGER noncompete_payment_check;
ALTER TABLE hrguard.noncompete_payment ENABLE ALWAYS TRIGGER noncompete_payment_record;

-- the months a non-compete lasts, a month begun counting as one
CREATE FUNCTION hrguard.noncompete_months(c hrguard.contract)
	RETURNS integer
	LANGUAGE sql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT 1 OPERATOR(pg_catalog.+) pg_catalog.count(*)::integer
  FROM pg_catalog.generate_series(1, 23) m
 WHERE hrguard.period_last_day($1.starts_on, m) OPERATOR(pg_catalog.<) $1.ends_on
$$;
REVOKE ALL ON FUNCTION hrguard.noncompete_months(hrguard.contract) FROM PUBLIC;
-- arithmetic on its argument, used by a view its readers query as themselves
GRANT EXECUTE ON FUNCTION hrguard.noncompete_months(hrguard.contract) TO PUBLIC;
COMMENT ON FUNCTION hrguard.noncompete_months(hrguard.contract) IS
	'how many months a non-compete lasts, a month begun counting as one';

-- every reminder of every contract that ends: the days before the end the
-- tenant's policy names, the day each falls due, and whether it was raised.
-- A labour contract followed by another of the same employee (one that
-- starts later, or the same day and was recorded after it), or whose
-- employee has left before the reminder is due, is not reminded.
CREATE VIEW hrguard.contract_reminders WITH (security_invoker = true) AS
SELECT c.contract_id, c.employee_id, c.kind, c.ends_on, d.days AS days_before,
	   (c.ends_on OPERATOR(pg_catalog.-) d.days) AS due_on,
	   n.raised_for, n.alert_id,
	   CASE WHEN n.contract_id IS NOT NULL THEN CASE WHEN n.alert_id IS NULL THEN 'passed over' ELSE 'raised' END
			-- a nearer reminder was raised already (the tenant's days changed since)
			WHEN EXISTS (SELECT FROM hrguard.contract_notice o
						  WHERE o.contract_id OPERATOR(pg_catalog.=) c.contract_id
							AND o.notice OPERATOR(pg_catalog.=) 'expiry' AND o.threshold OPERATOR(pg_catalog.<) d.days)
				 THEN 'passed over'
			ELSE 'pending' END AS status
  FROM hrguard.contract c
  JOIN hrguard.employee e ON e.employee_id OPERATOR(pg_catalog.=) c.employee_id
  CROSS JOIN LATERAL pg_catalog.unnest((hrguard.case_policy_of(e.tenant_id)).reminder_days) AS d(days)
  LEFT JOIN hrguard.contract_notice n
	ON n.contract_id OPERATOR(pg_catalog.=) c.contract_id AND n.notice OPERATOR(pg_catalog.=) 'expiry'
   AND n.threshold OPERATOR(pg_catalog.=) d.days
 WHERE c.ends_on IS NOT NULL
   AND c.kind OPERATOR(pg_catalog.=) ANY (ARRAY['labour', 'non_compete'])
   AND (c.kind OPERATOR(pg_catalog.=) 'non_compete'
		OR ((e.left_on IS NULL OR e.left_on OPERATOR(pg_catalog.>=) (c.ends_on OPERATOR(pg_catalog.-) d.days))
			AND NOT EXISTS (SELECT FROM hrguard.contract r
							 WHERE r.employee_id OPERATOR(pg_catalog.=) c.employee_id
							   AND r.kind OPERATOR(pg_catalog.=) 'labour'
							   AND (r.starts_on OPERATOR(pg_catalog.>) c.starts_on
									OR (r.starts_on OPERATOR(pg_catalog.=) c.starts_on
										AND r.contract_id OPERATOR(pg_catalog.>) c.contract_id)))));
COMMENT ON VIEW hrguard.contract_reminders IS
	'the reminders before a labour contract or a non-compete ends (per the tenant''s case_policy.reminder_days), when each is due and whether run_daily() raised it';

-- every month of every non-compete: due on its last day (plus the
-- tenant's grace days), what was paid for it
CREATE VIEW hrguard.noncompete_schedule WITH (security_invoker = true) AS
SELECT c.contract_id, c.employee_id, m.month_no,
	   CASE WHEN m.month_no OPERATOR(pg_catalog.=) 1 THEN c.starts_on
			ELSE hrguard.period_last_day(c.starts_on, m.month_no OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) 1 END AS month_from,
	   (hrguard.period_last_day(c.starts_on, m.month_no)
		OPERATOR(pg_catalog.+) (hrguard.case_policy_of(e.tenant_id)).payment_grace_days) AS due_on,
	   c.monthly_compensation AS due,
	   COALESCE((SELECT pg_catalog.sum(p.amount) FROM hrguard.noncompete_payment p
				  WHERE p.contract_id OPERATOR(pg_catalog.=) c.contract_id AND p.month_no OPERATOR(pg_catalog.=) m.month_no), 0) AS paid
  FROM hrguard.contract c
  JOIN hrguard.employee e ON e.employee_id OPERATOR(pg_catalog.=) c.employee_id
  CROSS JOIN LATERAL pg_catalog.generate_series(1, hrguard.noncompete_months(c)) AS m(month_no)
 WHERE c.kind OPERATOR(pg_catalog.=) 'non_compete';
COMMENT ON VIEW hrguard.noncompete_schedule IS
	'each month of each non-compete: from when, due by when, how much is due and how much was paid';

CREATE FUNCTION hrguard.run_daily(day date, OUT reminders integer, OUT late_payments integer)
	RETURNS record
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	r record;
	alert_id bigint;
	notify boolean;
BEGIN
	-- hrguard's library loaded, its settings are what a superuser set, not
	-- a placeholder a session set before it was loaded
	PERFORM hrguard.version();
	notify := pg_catalog.current_setting('hrguard.notify_mode') OPERATOR(pg_catalog.<>) 'off';
	IF $1 IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'day is required';
	END IF;
	IF NOT pg_catalog.isfinite($1) THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'day must be a finite date';
	END IF;
	-- a day begins first at UTC+14
	IF $1 OPERATOR(pg_catalog.>) (pg_catalog.timezone('UTC', pg_catalog.now()) OPERATOR(pg_catalog.+) '14 hours'::pg_catalog.interval)::pg_catalog.date
	   OR $1 OPERATOR(pg_catalog.<) '1900-01-01' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('run_daily cannot run for %s, a day that has not begun anywhere', $1);
	END IF;
	-- one run at a time: the second finds what the first raised (a lock on
	-- hrguard's own table, which no other role can take)
	LOCK TABLE hrguard.contract_notice IN SHARE ROW EXCLUSIVE MODE;
	reminders := 0;
	late_payments := 0;

	-- per contract, the nearest reminder due by the day, at most one a day;
	-- the farther ones not yet raised are passed over
	FOR r IN
		SELECT cr.contract_id, cr.employee_id, cr.kind, cr.ends_on,
			   pg_catalog.min(cr.days_before) AS days_before,
			   pg_catalog.array_agg(cr.days_before ORDER BY cr.days_before) AS reached
		  FROM hrguard.contract_reminders cr
		 WHERE cr.status OPERATOR(pg_catalog.=) 'pending' AND cr.due_on OPERATOR(pg_catalog.<=) $1
		   AND cr.ends_on OPERATOR(pg_catalog.>=) $1
		   AND NOT EXISTS (SELECT FROM hrguard.contract_notice n
							WHERE n.contract_id OPERATOR(pg_catalog.=) cr.contract_id
							  AND n.notice OPERATOR(pg_catalog.=) 'expiry'
							  AND (n.threshold OPERATOR(pg_catalog.<=) cr.days_before
								   OR n.raised_for OPERATOR(pg_catalog.=) $1))
		 GROUP BY cr.contract_id, cr.employee_id, cr.kind, cr.ends_on
		 ORDER BY cr.contract_id
	LOOP
		alert_id := hrguard.raise_alert(r.employee_id,
			CASE WHEN r.kind OPERATOR(pg_catalog.=) 'labour' THEN 'contract_expiry' ELSE 'noncompete_expiry' END,
			CASE WHEN r.days_before OPERATOR(pg_catalog.<) 90 THEN 'alert' ELSE 'watch' END,
			pg_catalog.now(),
			pg_catalog.jsonb_build_object('contract_id', r.contract_id, 'contract_kind', r.kind,
				'ends_on', r.ends_on, 'days_before', r.days_before, 'day', $1,
				'days_left', r.ends_on OPERATOR(pg_catalog.-) $1),
			'contract_id', r.contract_id);
		INSERT INTO hrguard.contract_notice (contract_id, notice, threshold, due_on, raised_for, alert_id)
		SELECT r.contract_id, 'expiry', d, r.ends_on OPERATOR(pg_catalog.-) d, $1,
			   CASE WHEN d OPERATOR(pg_catalog.=) r.days_before THEN alert_id END
		  FROM pg_catalog.unnest(r.reached) d;
		IF notify THEN
			PERFORM pg_catalog.pg_notify('hrguard_reminder', alert_id::pg_catalog.text);
		END IF;
		reminders := reminders OPERATOR(pg_catalog.+) 1;
	END LOOP;

	-- every month of a non-compete unpaid past its due day, once
	FOR r IN
		SELECT s.contract_id, s.employee_id, s.month_no, s.due_on, s.due, s.paid,
			   (SELECT pg_catalog.count(*) FROM hrguard.noncompete_schedule o
				 WHERE o.contract_id OPERATOR(pg_catalog.=) s.contract_id AND o.due_on OPERATOR(pg_catalog.<) $1
				   AND o.paid OPERATOR(pg_catalog.<) o.due) AS months_unpaid
		  FROM hrguard.noncompete_schedule s
		 WHERE s.due_on OPERATOR(pg_catalog.<) $1 AND s.paid OPERATOR(pg_catalog.<) s.due
		   AND NOT EXISTS (SELECT FROM hrguard.contract_notice n
							WHERE n.contract_id OPERATOR(pg_catalog.=) s.contract_id
							  AND n.notice OPERATOR(pg_catalog.=) 'payment_late'
							  AND n.threshold OPERATOR(pg_catalog.=) s.month_no)
		 ORDER BY s.contract_id, s.month_no
	LOOP
		alert_id := hrguard.raise_alert(r.employee_id, 'noncompete_payment_late',
			CASE WHEN r.months_unpaid OPERATOR(pg_catalog.>=) 3 THEN 'priority' ELSE 'alert' END,
			pg_catalog.now(),
			pg_catalog.jsonb_build_object('contract_id', r.contract_id, 'month_no', r.month_no,
				'due_on', r.due_on, 'due', r.due::pg_catalog.text, 'paid', r.paid::pg_catalog.text, 'day', $1,
				'months_unpaid', r.months_unpaid,
				'note', 'after three months unpaid the employee may end the non-compete (SPC Interpretation (1) Art. 38)'),
			'contract_id', r.contract_id);
		INSERT INTO hrguard.contract_notice (contract_id, notice, threshold, due_on, raised_for, alert_id)
		VALUES (r.contract_id, 'payment_late', r.month_no, r.due_on, $1, alert_id);
		IF notify THEN
			PERFORM pg_catalog.pg_notify('hrguard_reminder', alert_id::pg_catalog.text);
		END IF;
		late_payments := late_payments OPERATOR(pg_catalog.+) 1;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION hrguard.run_daily(date) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.run_daily(date) IS
	'raises, once each, the reminders due by the day before contracts and non-competes end and the alerts of non-compete months unpaid past their due day; NOTIFY hrguard_reminder with each alert id';
