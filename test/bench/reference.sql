-- reference.sql -- what a DBA would write without hrguard: a PL/pgSQL
-- trigger that checks each punch against PostGIS zones through a GiST
-- index, writes an alert row and sends pg_notify.  The benchmark measures
-- hrguard against it on the same rows.
CREATE SCHEMA ref;

CREATE TABLE ref.zone (
	zone_id		bigint PRIMARY KEY,
	kind		text NOT NULL,
	geom		geometry(Polygon, 4326) NOT NULL,
	opens		time,			-- daily window (Shanghai time) when the zone counts
	closes		time
);
CREATE INDEX ON ref.zone USING gist (geom);

CREATE TABLE ref.alert (
	alert_id	bigserial PRIMARY KEY,
	employee_id text NOT NULL,
	punched_at	timestamptz NOT NULL,
	kind		text NOT NULL,
	zone_id		bigint
);

CREATE TABLE ref.punch (
	employee_id text NOT NULL,
	punched_at	timestamptz NOT NULL,
	lat			float8,
	lon			float8,
	device_id	text,
	verdict		text
);

CREATE FUNCTION ref.punch_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	p geometry;
	competitor bigint;
	allowed boolean;
	local_time time;
BEGIN
	IF NEW.lat IS NULL OR NEW.lon IS NULL
	   OR NEW.lat NOT BETWEEN -90 AND 90 OR NEW.lon NOT BETWEEN -180 AND 180 THEN
		RAISE EXCEPTION 'invalid coordinates';
	END IF;
	p := ST_SetSRID(ST_MakePoint(NEW.lon, NEW.lat), 4326);
	local_time := (NEW.punched_at AT TIME ZONE 'Asia/Shanghai')::time;
	SELECT min(z.zone_id) FILTER (WHERE z.kind = 'competitor'),
		   coalesce(bool_or(z.kind <> 'competitor'
							AND (z.opens IS NULL OR local_time BETWEEN z.opens AND z.closes)), false)
	  INTO competitor, allowed
	  FROM ref.zone z WHERE ST_Covers(z.geom, p);
	NEW.verdict := CASE WHEN competitor IS NOT NULL THEN 'competitor'
						WHEN allowed THEN 'inside' ELSE 'outside' END;
	IF NEW.verdict <> 'inside' THEN
		INSERT INTO ref.alert (employee_id, punched_at, kind, zone_id)
		VALUES (NEW.employee_id, NEW.punched_at, NEW.verdict, competitor);
		PERFORM pg_notify('ref_alert', json_build_object('employee_id', NEW.employee_id,
														 'kind', NEW.verdict, 'zone_id', competitor)::text);
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER punch_check BEFORE INSERT ON ref.punch
	FOR EACH ROW EXECUTE FUNCTION ref.punch_check();

-- The same check plus a per-employee SHA-256 hash chain of every punch
-- (pgcrypto), the full path hrguard's evidence chain is compared with.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE ref.chain_head (employee_id text PRIMARY KEY, seq bigint NOT NULL, head bytea NOT NULL);
CREATE TABLE ref.evidence (
	employee_id text NOT NULL,
	seq			bigint NOT NULL,
	payload		text NOT NULL,
	hash		bytea NOT NULL,
	PRIMARY KEY (employee_id, seq)
);
CREATE TABLE ref.punch_full (LIKE ref.punch);

CREATE FUNCTION ref.append_evidence(emp text, body text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	h ref.chain_head%ROWTYPE;
	next_hash bytea;
BEGIN
	SELECT * INTO h FROM ref.chain_head WHERE employee_id = emp FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO ref.chain_head VALUES (emp, 0, '\x'::bytea) ON CONFLICT DO NOTHING;
		SELECT * INTO h FROM ref.chain_head WHERE employee_id = emp FOR UPDATE;
	END IF;
	next_hash := digest(h.head || convert_to(body, 'UTF8'), 'sha256');
	INSERT INTO ref.evidence VALUES (emp, h.seq + 1, body, next_hash);
	UPDATE ref.chain_head SET seq = h.seq + 1, head = next_hash WHERE employee_id = emp;
END
$$;

-- the geofence body is repeated, as one would write a single trigger
CREATE FUNCTION ref.punch_full_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	p geometry;
	competitor bigint;
	allowed boolean;
	local_time time;
BEGIN
	IF NEW.lat IS NULL OR NEW.lon IS NULL
	   OR NEW.lat NOT BETWEEN -90 AND 90 OR NEW.lon NOT BETWEEN -180 AND 180 THEN
		RAISE EXCEPTION 'invalid coordinates';
	END IF;
	p := ST_SetSRID(ST_MakePoint(NEW.lon, NEW.lat), 4326);
	local_time := (NEW.punched_at AT TIME ZONE 'Asia/Shanghai')::time;
	SELECT min(z.zone_id) FILTER (WHERE z.kind = 'competitor'),
		   coalesce(bool_or(z.kind <> 'competitor'
							AND (z.opens IS NULL OR local_time BETWEEN z.opens AND z.closes)), false)
	  INTO competitor, allowed
	  FROM ref.zone z WHERE ST_Covers(z.geom, p);
	NEW.verdict := CASE WHEN competitor IS NOT NULL THEN 'competitor'
						WHEN allowed THEN 'inside' ELSE 'outside' END;
	IF NEW.verdict <> 'inside' THEN
		INSERT INTO ref.alert (employee_id, punched_at, kind, zone_id)
		VALUES (NEW.employee_id, NEW.punched_at, NEW.verdict, competitor);
		PERFORM pg_notify('ref_alert', json_build_object('employee_id', NEW.employee_id,
														 'kind', NEW.verdict, 'zone_id', competitor)::text);
	END IF;
	PERFORM ref.append_evidence(NEW.employee_id,
		NEW.employee_id || '|' || NEW.punched_at || '|' || NEW.lat || '|' || NEW.lon
		|| '|' || coalesce(NEW.device_id, '') || '|' || NEW.verdict);
	RETURN NEW;
END
$$;
CREATE TRIGGER punch_full_check BEFORE INSERT ON ref.punch_full
	FOR EACH ROW EXECUTE FUNCTION ref.punch_full_check();
