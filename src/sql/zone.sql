-- zone.sql -- geofences (zone.c normalises them; zone_cache.c reads them).
--
-- A zone is a polygon/multipolygon (with holes) or a circle.  What the user
-- enters is kept in raw_geom / raw_center in the datum named by source_crs;
-- geom / center always hold the same shape converted to WGS-84 by the zone
-- trigger.  Writing geom or center is the same as writing the raw shape in
-- source_crs.

CREATE TABLE hrguard.zone (
	zone_id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant_id		text NOT NULL DEFAULT 'default',
	name			text NOT NULL,
	kind			text NOT NULL,
	geom			geometry,
	center			geometry,
	radius_m		float8,
	source_crs		text NOT NULL DEFAULT 'wgs84',
	raw_geom		geometry,
	raw_center		geometry,
	schedule_id		bigint REFERENCES hrguard.schedule,
	valid			tstzrange,
	bssids			text[],
	address			text,
	organisation	text,
	customer_id		text COLLATE pg_catalog."C",
	vendor_ref		text COLLATE pg_catalog."C",
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),

	CONSTRAINT zone_name_not_blank
		CHECK (pg_catalog.btrim(name) OPERATOR(pg_catalog.<>) ''),
	CONSTRAINT zone_organisation_valid
		CHECK (organisation OPERATOR(pg_catalog.~) '[^[:space:]]'
			   AND pg_catalog.octet_length(organisation) OPERATOR(pg_catalog.<=) 200),
	CONSTRAINT zone_customer_valid
		CHECK (customer_id IS NULL
			   OR customer_id OPERATOR(pg_catalog.~) '[^[:space:]]'
			   AND pg_catalog.octet_length(customer_id) OPERATOR(pg_catalog.<=) 1024
			   AND kind OPERATOR(pg_catalog.=) 'client'),
	CONSTRAINT zone_kind_valid
		CHECK (kind OPERATOR(pg_catalog.=) ANY
			   (ARRAY['office', 'client', 'project', 'competitor', 'restricted']::pg_catalog.text[])),
	CONSTRAINT zone_source_crs_valid
		CHECK (source_crs OPERATOR(pg_catalog.=) ANY
			   (ARRAY['wgs84', 'gcj02', 'bd09']::pg_catalog.text[])),
	CONSTRAINT zone_one_shape
		CHECK ((geom IS NULL) OPERATOR(pg_catalog.<>) (center IS NULL)),
	CONSTRAINT zone_circle_has_radius
		CHECK ((center IS NULL) OPERATOR(pg_catalog.=) (radius_m IS NULL))
);
CREATE UNIQUE INDEX zone_vendor_ref_idx ON hrguard.zone (tenant_id, vendor_ref)
	WHERE vendor_ref IS NOT NULL;
CREATE INDEX zone_geom_idx ON hrguard.zone USING gist (geom);
CREATE INDEX zone_center_idx ON hrguard.zone USING gist (center);
CREATE INDEX zone_tenant_kind_idx ON hrguard.zone (tenant_id, kind);
REVOKE ALL ON hrguard.zone FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.zone', '');
-- and its identity, so that ids continue after a restore
SELECT pg_catalog.pg_extension_config_dump('hrguard.zone_zone_id_seq', '');

COMMENT ON TABLE hrguard.zone IS
	'geofences: offices, client and project sites, competitor and restricted addresses';
COMMENT ON COLUMN hrguard.zone.kind IS
	'office, client, project (allowed where assigned), competitor, restricted (watched for every employee of the tenant)';
COMMENT ON COLUMN hrguard.zone.geom IS
	'polygon shape as a WGS-84 multipolygon (SRID 4326); the boundary counts as inside';
COMMENT ON COLUMN hrguard.zone.center IS
	'circle centre, WGS-84 point (SRID 4326)';
COMMENT ON COLUMN hrguard.zone.radius_m IS
	'circle radius in metres, more than 0 and at most 50 km';
COMMENT ON COLUMN hrguard.zone.source_crs IS
	'datum the shape was entered in: wgs84, gcj02 or bd09';
COMMENT ON COLUMN hrguard.zone.raw_geom IS
	'polygon shape as entered, in source_crs';
COMMENT ON COLUMN hrguard.zone.raw_center IS
	'circle centre as entered, in source_crs';
COMMENT ON COLUMN hrguard.zone.schedule_id IS
	'windows in which the zone is allowed (local time); NULL: whenever the employee works';
COMMENT ON COLUMN hrguard.zone.valid IS
	'time range in which the zone exists; NULL: always';
COMMENT ON COLUMN hrguard.zone.organisation IS
	'the organisation a competitor zone belongs to: the competitor pattern counts the days in all its zones together; NULL: the zone counts alone';
COMMENT ON COLUMN hrguard.zone.vendor_ref IS
	'the attendance point this zone was imported from (import_wecom_checkin_option, import_dingtalk_positions); unique per tenant';
COMMENT ON COLUMN hrguard.zone.customer_id IS
	'the customer a client zone is the site of: a visit punch inside it counts as a visit to that customer';
COMMENT ON COLUMN hrguard.zone.bssids IS
	'Wi-Fi access points (BSSIDs, aa:bb:cc:dd:ee:ff) expected in the zone; NULL: not checked';

CREATE FUNCTION hrguard.zone_normalize()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_zone_normalize';
REVOKE ALL ON FUNCTION hrguard.zone_normalize() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.zone_normalize() IS
	'zone trigger: validates a zone''s shape and converts it to WGS-84';

CREATE TRIGGER zone_normalize
	BEFORE INSERT OR UPDATE ON hrguard.zone
	FOR EACH ROW EXECUTE FUNCTION hrguard.zone_normalize();
ALTER TABLE hrguard.zone ENABLE ALWAYS TRIGGER zone_normalize;

CREATE TABLE hrguard.zone_assignment (
	assignment_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	zone_id			bigint NOT NULL REFERENCES hrguard.zone ON DELETE CASCADE,
	employee_id		text COLLATE pg_catalog."C" REFERENCES hrguard.employee ON DELETE CASCADE,
	team			text,

	CONSTRAINT zone_assignment_employee_or_team
		CHECK (employee_id IS NULL OR team IS NULL),
	CONSTRAINT zone_assignment_unique
		UNIQUE NULLS NOT DISTINCT (zone_id, employee_id, team)
);
CREATE INDEX zone_assignment_employee_idx ON hrguard.zone_assignment (employee_id);
REVOKE ALL ON hrguard.zone_assignment FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.zone_assignment', '');
-- and its identity, so that ids continue after a restore
SELECT pg_catalog.pg_extension_config_dump('hrguard.zone_assignment_assignment_id_seq', '');
COMMENT ON TABLE hrguard.zone_assignment IS
	'which allowed zones (office, client, project) apply to whom: one employee, one team, or (both NULL) every employee of the zone''s tenant';

CREATE FUNCTION hrguard.zone_assignment_check()
	RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	zone_kind text;
	zone_tenant text;
	employee_tenant text;
BEGIN
	IF NOT TG_RELID OPERATOR(pg_catalog.=) ANY
		   (ARRAY['hrguard.zone_assignment'::pg_catalog.regclass, 'hrguard.zone'::pg_catalog.regclass])
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR NOT TG_OP OPERATOR(pg_catalog.=) ANY (ARRAY['INSERT', 'UPDATE']) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('%s fired where hrguard did not attach it', TG_NAME);
	END IF;
	-- rows logical replication applies were checked on the publisher, and
	-- arrive in any order (replica is a superuser setting)
	IF pg_catalog.current_setting('session_replication_role') OPERATOR(pg_catalog.=) 'replica' THEN
		RETURN NEW;
	END IF;
	-- a zone that becomes a competitor or restricted one must have no assignment
	IF TG_RELID OPERATOR(pg_catalog.=) 'hrguard.zone'::pg_catalog.regclass THEN
		IF NEW.kind OPERATOR(pg_catalog.=) ANY (ARRAY['competitor', 'restricted'])
		   AND EXISTS (SELECT FROM hrguard.zone_assignment a
					   WHERE a.zone_id OPERATOR(pg_catalog.=) NEW.zone_id) THEN
			RAISE EXCEPTION USING
				ERRCODE = 'invalid_parameter_value',
				MESSAGE = pg_catalog.format('zone %s is assigned and cannot become a %s zone',
											NEW.zone_id, NEW.kind),
				DETAIL = 'Competitor and restricted zones are watched for every employee of their tenant.',
				HINT = 'Remove its rows from hrguard.zone_assignment first.';
		END IF;
		RETURN NEW;
	END IF;
	SELECT z.kind, z.tenant_id INTO zone_kind, zone_tenant
	  FROM hrguard.zone z WHERE z.zone_id OPERATOR(pg_catalog.=) NEW.zone_id;
	IF zone_kind OPERATOR(pg_catalog.=) ANY (ARRAY['competitor', 'restricted']) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('zone %s is a %s zone and cannot be assigned',
										NEW.zone_id, zone_kind),
			DETAIL = 'Competitor and restricted zones are watched for every employee of their tenant.';
	END IF;
	IF NEW.employee_id IS NOT NULL THEN
		SELECT e.tenant_id INTO employee_tenant
		  FROM hrguard.employee e WHERE e.employee_id OPERATOR(pg_catalog.=) NEW.employee_id;
		IF employee_tenant OPERATOR(pg_catalog.<>) zone_tenant THEN
			RAISE EXCEPTION USING
				ERRCODE = 'invalid_parameter_value',
				MESSAGE = pg_catalog.format('employee %s and zone %s belong to different tenants',
											NEW.employee_id, NEW.zone_id);
		END IF;
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION hrguard.zone_assignment_check() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.zone_assignment_check() IS
	'zone_assignment and zone trigger: only allowed zones of the employee''s own tenant are assigned, and an assigned zone does not become a competitor or restricted one';

CREATE TRIGGER zone_assignment_check
	BEFORE INSERT OR UPDATE ON hrguard.zone_assignment
	FOR EACH ROW EXECUTE FUNCTION hrguard.zone_assignment_check();
ALTER TABLE hrguard.zone_assignment ENABLE ALWAYS TRIGGER zone_assignment_check;
CREATE TRIGGER zone_kind_check
	BEFORE UPDATE OF kind ON hrguard.zone
	FOR EACH ROW EXECUTE FUNCTION hrguard.zone_assignment_check();
ALTER TABLE hrguard.zone ENABLE ALWAYS TRIGGER zone_kind_check;
