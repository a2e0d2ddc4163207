-- case_exposure.sql -- what ending an employee's contract may cost: the
-- statutory compensation of LCL Art. 47 and the double of it owed for an
-- unlawful termination (Art. 87), so that decision makers see the risk.
--
-- Art. 47: one month's wage per full year of service, from the hiring date
-- to the last day of work (on_date) included; a remainder of six
-- months or more counts as a year, less than six months as half a month.
-- The wage is the average of the last twelve months.  Where it exceeds
-- three times the local average monthly wage, the wage taken is three times
-- that average and at most twelve years count.  Both wages are inputs:
-- hrguard keeps no payroll.

CREATE FUNCTION hrguard.termination_exposure(employee_id text, on_date date,
		average_monthly_wage numeric, local_average_monthly_wage numeric,
		OUT service_from date, OUT service_years integer, OUT remainder_months integer,
		OUT months numeric, OUT wage_basis numeric, OUT capped boolean,
		OUT statutory_compensation numeric, OUT unlawful_termination_damages numeric)
	RETURNS record
	LANGUAGE plpgsql STABLE
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	hired date;
	served pg_catalog.interval;
	n numeric;
BEGIN
	IF $1 IS NULL OR $2 IS NULL OR $3 IS NULL OR $4 IS NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'employee_id, on_date, average_monthly_wage and local_average_monthly_wage are required';
	END IF;
	IF $3 OPERATOR(pg_catalog.<) 0 OR $4 OPERATOR(pg_catalog.<=) 0 OR $3 OPERATOR(pg_catalog.>) 1e12 OR $4 OPERATOR(pg_catalog.>) 1e12 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'wages must be at least 0 (the local average above 0) and below 10^12';
	END IF;
	SELECT em.hired_on INTO hired FROM hrguard.employee em WHERE em.employee_id OPERATOR(pg_catalog.=) $1;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'foreign_key_violation',
			MESSAGE = pg_catalog.format('employee "%s" is not registered', pg_catalog.left($1, 127));
	END IF;
	IF hired IS NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('employee "%s" has no hiring date', $1),
			HINT = 'Set hrguard.employee.hired_on: service is counted from it.';
	END IF;
	IF NOT pg_catalog.isfinite($2) OR $2 OPERATOR(pg_catalog.>=) '2200-01-01' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'on_date must be a date before 2200';
	END IF;
	IF hired OPERATOR(pg_catalog.<) '1900-01-01' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('the hiring date %s of employee "%s" is before 1900', hired, $1);
	END IF;
	IF $2 OPERATOR(pg_catalog.<) hired THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('on_date %s is before the hiring date %s', $2, hired);
	END IF;

	service_from := hired;
	-- on_date is the last day of work: service runs to the end of it
	served := pg_catalog.age(($2 OPERATOR(pg_catalog.+) 1)::pg_catalog.timestamp, hired::pg_catalog.timestamp);
	service_years := pg_catalog.date_part('year', served)::integer;
	remainder_months := pg_catalog.date_part('month', served)::integer;
	n := service_years
		OPERATOR(pg_catalog.+) CASE WHEN remainder_months OPERATOR(pg_catalog.>=) 6 THEN 1
									WHEN served OPERATOR(pg_catalog.>) pg_catalog.make_interval(years => service_years) THEN 0.5
									ELSE 0 END;
	capped := $3 OPERATOR(pg_catalog.>) (3 OPERATOR(pg_catalog.*) $4);
	wage_basis := CASE WHEN capped THEN 3 OPERATOR(pg_catalog.*) $4 ELSE $3 END;
	months := CASE WHEN capped THEN LEAST(n, 12) ELSE n END;
	statutory_compensation := pg_catalog.round(months OPERATOR(pg_catalog.*) wage_basis, 2);
	unlawful_termination_damages := 2 OPERATOR(pg_catalog.*) statutory_compensation;
END
$$;
REVOKE ALL ON FUNCTION hrguard.termination_exposure(text, date, numeric, numeric) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.termination_exposure(text, date, numeric, numeric) IS
	'LCL Art. 47 compensation (N months of the capped wage) and Art. 87 damages (2N) for ending the contract on a date';
