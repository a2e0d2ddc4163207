-- vendor_fences.sql -- a company's existing DingTalk and WeCom attendance
-- rules as hrguard zones and schedules: circles (GCJ-02 centre, radius in
-- metres) become circle zones entered in gcj02, WeCom's Wi-Fi allow-list
-- their BSSIDs, WeCom's working times a schedule.  Each object keeps the
-- vendor's reference (vendor_ref), so importing again updates what changed
-- and creates nothing twice.  Both functions run as their caller.

-- the records array of a vendor response, after its errcode says success
CREATE FUNCTION hrguard.vendor_records(doc jsonb, path text[], function_name text, vendor text)
	RETURNS jsonb
	LANGUAGE plpgsql
	IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	code jsonb := coalesce(doc OPERATOR(pg_catalog.->) 'errcode',
						   doc OPERATOR(pg_catalog.#>) '{result,errcode}');
	records jsonb := doc OPERATOR(pg_catalog.#>) path;
BEGIN
	IF pg_catalog.jsonb_typeof(doc) OPERATOR(pg_catalog.<>) 'object' THEN
		RAISE EXCEPTION USING ERRCODE = 'sql_json_object_not_found',
			MESSAGE = pg_catalog.format('%s: the payload is not a JSON object', function_name);
	END IF;
	IF code IS NOT NULL AND pg_catalog.jsonb_typeof(code) OPERATOR(pg_catalog.<>) 'number' THEN
		RAISE EXCEPTION USING ERRCODE = 'non_numeric_sql_json_item',
			MESSAGE = pg_catalog.format('%s: the payload''s errcode is not an integer', function_name);
	END IF;
	IF code IS NOT NULL AND code::pg_catalog.numeric OPERATOR(pg_catalog.<>) 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('%s: %s answered with errcode %s, not attendance rules',
										function_name, vendor, code),
			DETAIL = pg_catalog.format('errmsg: %s. Nothing was imported.',
									   pg_catalog.left(coalesce(doc OPERATOR(pg_catalog.->>) 'errmsg', ''), 64));
	END IF;
	IF records IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'sql_json_member_not_found',
			MESSAGE = pg_catalog.format('%s: the payload has no "%s"', function_name,
										pg_catalog.array_to_string(path, '.')),
			HINT = 'Pass the vendor''s response as it came.';
	END IF;
	IF pg_catalog.jsonb_typeof(records) OPERATOR(pg_catalog.<>) 'array' THEN
		RAISE EXCEPTION USING ERRCODE = 'sql_json_array_not_found',
			MESSAGE = pg_catalog.format('%s: the payload''s "%s" is not an array', function_name,
										pg_catalog.array_to_string(path, '.'));
	END IF;
	RETURN records;
END
$$;
-- the imports run as their caller, who runs this too: it only reads its arguments
GRANT EXECUTE ON FUNCTION hrguard.vendor_records(jsonb, text[], text, text) TO PUBLIC;
COMMENT ON FUNCTION hrguard.vendor_records(jsonb, text[], text, text) IS
	'internal: the records array of a vendor response whose errcode is 0';

-- a number of a vendor object (a JSON number, or a string holding one), or an error naming it
CREATE FUNCTION hrguard.vendor_number(item jsonb, key text, function_name text)
	RETURNS numeric
	LANGUAGE plpgsql
	IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	v jsonb := item OPERATOR(pg_catalog.->) key;
BEGIN
	-- as a value, whatever way it is written (30547030.0 is 30547030)
	IF pg_catalog.jsonb_typeof(v) OPERATOR(pg_catalog.=) 'number' THEN
		RETURN pg_catalog.trim_scale(v::pg_catalog.numeric);
	END IF;
	IF pg_catalog.jsonb_typeof(v) OPERATOR(pg_catalog.=) 'string'
	   AND (v OPERATOR(pg_catalog.#>>) '{}') OPERATOR(pg_catalog.~) '^-?[0-9]+(\.[0-9]+)?$' THEN
		RETURN pg_catalog.trim_scale((v OPERATOR(pg_catalog.#>>) '{}')::pg_catalog.numeric);
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
		MESSAGE = pg_catalog.format('%s: "%s" is %s, not a number', function_name, key,
									coalesce(pg_catalog.left(v::pg_catalog.text, 64), 'missing')),
		DETAIL = 'Nothing was imported.';
END
$$;
-- the imports run as their caller, who runs this too: it only reads its arguments
GRANT EXECUTE ON FUNCTION hrguard.vendor_number(jsonb, text, text) TO PUBLIC;
COMMENT ON FUNCTION hrguard.vendor_number(jsonb, text, text) IS
	'internal: a number field of a vendor object';

-- a whole number of a vendor object, at least 0, or an error naming it
CREATE FUNCTION hrguard.vendor_integer(item jsonb, key text, function_name text)
	RETURNS numeric
	LANGUAGE plpgsql
	IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	v numeric := hrguard.vendor_number(item, key, function_name);
BEGIN
	IF v OPERATOR(pg_catalog.<>) pg_catalog.trunc(v) OR v OPERATOR(pg_catalog.<) 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('%s: "%s" is %s, not a whole number of at least 0',
										function_name, key, pg_catalog.left(v::pg_catalog.text, 64)),
			DETAIL = 'Nothing was imported.';
	END IF;
	RETURN v;
END
$$;
-- the imports run as their caller, who runs this too: it only reads its arguments
GRANT EXECUTE ON FUNCTION hrguard.vendor_integer(jsonb, text, text) TO PUBLIC;
COMMENT ON FUNCTION hrguard.vendor_integer(jsonb, text, text) IS
	'internal: a whole number field of a vendor object';

-- a vendor's text of at most 1 KiB (names, addresses, keys), or an error naming it
CREATE FUNCTION hrguard.vendor_text(value text, what text, function_name text)
	RETURNS text
	LANGUAGE plpgsql
	IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF pg_catalog.octet_length(value) OPERATOR(pg_catalog.>) 1024 THEN
		RAISE EXCEPTION USING ERRCODE = 'program_limit_exceeded',
			MESSAGE = pg_catalog.format('%s: a %s is longer than 1024 bytes', function_name, what),
			DETAIL = 'Nothing was imported.';
	END IF;
	RETURN value;
END
$$;
GRANT EXECUTE ON FUNCTION hrguard.vendor_text(text, text, text) TO PUBLIC;
COMMENT ON FUNCTION hrguard.vendor_text(text, text, text) IS
	'internal: a vendor name, address or key within its bound';

-- a vendor's number as an error message shows it: as a double where one
-- holds it, in scientific notation where it is beyond a double's range
CREATE FUNCTION hrguard.vendor_number_text(value numeric)
	RETURNS text
	LANGUAGE sql
	IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT CASE WHEN value OPERATOR(pg_catalog.=) 0
					 OR pg_catalog.abs(value) OPERATOR(pg_catalog.<=) 1e300
					AND pg_catalog.abs(value) OPERATOR(pg_catalog.>=) 1e-300
				THEN value::pg_catalog.float8::pg_catalog.text
				ELSE pg_catalog.ltrim(pg_catalog.to_char(value, '9.999999EEEE')) END
$$;
GRANT EXECUTE ON FUNCTION hrguard.vendor_number_text(numeric) TO PUBLIC;
COMMENT ON FUNCTION hrguard.vendor_number_text(numeric) IS
	'internal: a vendor number as messages show it';

-- is a stored point the one PostGIS's text input makes of wanted (a point of
-- PostGIS's geometry type, whatever schema PostGIS is in)?
CREATE FUNCTION hrguard.vendor_same_point(stored anyelement, wanted text)
	RETURNS boolean
	LANGUAGE plpgsql
	IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	converted stored%TYPE;
BEGIN
	converted := wanted;
	RETURN converted::pg_catalog.text OPERATOR(pg_catalog.=) stored::pg_catalog.text;
END
$$;
-- the imports run as their caller, who runs this too: it only reads its arguments
GRANT EXECUTE ON FUNCTION hrguard.vendor_same_point(anyelement, text) TO PUBLIC;
COMMENT ON FUNCTION hrguard.vendor_same_point(anyelement, text) IS
	'internal: whether a stored point is the point given as text';

-- Create or update the circle zone of one vendor attendance point.
CREATE FUNCTION hrguard.vendor_circle_zone(tenant text, ref text, zone_name text,
		lat numeric, lon numeric, radius numeric, zone_address text, zone_bssids text[],
		function_name text, OUT zone_id bigint, OUT action text)
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	-- PostGIS's text input, whatever schema PostGIS is in
	point_text text;
BEGIN
	IF lat OPERATOR(pg_catalog.<) -90 OR lat OPERATOR(pg_catalog.>) 90
	   OR lon OPERATOR(pg_catalog.<) -180 OR lon OPERATOR(pg_catalog.>) 180 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('%s: the attendance point %s, %s is not on Earth',
										function_name, hrguard.vendor_number_text(lat),
										hrguard.vendor_number_text(lon)),
			DETAIL = 'Nothing was imported.';
	END IF;
	-- what a vendor writes for a position it does not have
	IF lat OPERATOR(pg_catalog.=) 0 AND lon OPERATOR(pg_catalog.=) 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('%s: the attendance point %s is at 0, 0', function_name, ref),
			DETAIL = '0, 0 is no position. Nothing was imported.';
	END IF;
	-- a fence narrower than a metre is no fence a phone can be inside
	IF radius OPERATOR(pg_catalog.<) 1 OR radius OPERATOR(pg_catalog.>) 50000 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('%s: the attendance point %s has a radius of %s m',
										function_name, ref, hrguard.vendor_number_text(radius)),
			DETAIL = 'A radius is at least 1 m and at most 50 km. Nothing was imported.';
	END IF;
	point_text := pg_catalog.format('SRID=4326;POINT(%s %s)', lon, lat);
	SELECT z.zone_id INTO zone_id
	  FROM hrguard.zone z
	 WHERE z.tenant_id OPERATOR(pg_catalog.=) tenant AND z.vendor_ref OPERATOR(pg_catalog.=) ref
	   FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO hrguard.zone AS z (tenant_id, name, kind, center, radius_m, source_crs, address,
									   bssids, vendor_ref)
		VALUES (tenant, zone_name, 'office', point_text, radius::pg_catalog.float8, 'gcj02',
				zone_address, zone_bssids, ref)
		RETURNING z.zone_id INTO zone_id;
		action := 'created';
		RETURN;
	END IF;
	UPDATE hrguard.zone z
	   SET name = zone_name, center = point_text, source_crs = 'gcj02',
		   radius_m = radius::pg_catalog.float8, address = zone_address, bssids = zone_bssids
	 WHERE z.zone_id OPERATOR(pg_catalog.=) vendor_circle_zone.zone_id
	   AND NOT (z.name OPERATOR(pg_catalog.=) zone_name
				AND z.radius_m OPERATOR(pg_catalog.=) radius::pg_catalog.float8
				AND z.source_crs OPERATOR(pg_catalog.=) 'gcj02'
				AND z.address IS NOT DISTINCT FROM zone_address
				AND z.bssids IS NOT DISTINCT FROM zone_bssids
				AND coalesce(hrguard.vendor_same_point(z.raw_center, point_text), false));
	action := CASE WHEN FOUND THEN 'updated' ELSE 'unchanged' END;
END
$$;
-- the imports run as their caller, who runs this too: it writes as its caller
GRANT EXECUTE ON FUNCTION hrguard.vendor_circle_zone(text, text, text, numeric, numeric, numeric,
	text, text[], text) TO PUBLIC;
COMMENT ON FUNCTION hrguard.vendor_circle_zone(text, text, text, numeric, numeric, numeric,
	text, text[], text) IS
	'internal: create or update the circle zone of a vendor attendance point';

CREATE FUNCTION hrguard.import_wecom_checkin_option(payload text, tenant_id text DEFAULT 'default')
	RETURNS TABLE (object text, vendor_ref text, object_id bigint, action text, note text)
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_column
DECLARE
	fn constant text := 'hrguard.import_wecom_checkin_option';
	tenant constant text := import_wecom_checkin_option.tenant_id;
	grp jsonb;
	loc jsonb;
	userid text;
	gid numeric;
	group_name text;
	schedule_ref text;
	sid bigint;
	wanted text[];
	stored text[];
	stored_name text;
	bssid_list text[];
	zone_ids bigint[];
	zone_result record;
	lat numeric;
	lng numeric;
	emp text;
BEGIN
	IF payload IS NULL OR tenant IS NULL OR pg_catalog.btrim(tenant) OPERATOR(pg_catalog.=) '' THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = pg_catalog.format('%s needs a payload and a tenant_id', fn);
	END IF;
	FOR grp IN SELECT g.value
				 FROM pg_catalog.jsonb_array_elements(
						hrguard.vendor_records(payload::pg_catalog.jsonb, '{group}', fn, 'WeCom')) g
	LOOP
		IF pg_catalog.jsonb_typeof(grp) OPERATOR(pg_catalog.<>) 'object' THEN
			RAISE EXCEPTION USING ERRCODE = 'sql_json_object_not_found',
				MESSAGE = pg_catalog.format('%s: a group is not a JSON object', fn);
		END IF;
		gid := hrguard.vendor_integer(grp, 'groupid', fn);
		group_name := hrguard.vendor_text(
			coalesce(NULLIF(pg_catalog.btrim(grp OPERATOR(pg_catalog.->>) 'groupname'), ''),
					 'group ' OPERATOR(pg_catalog.||) gid), 'group name', fn);

		-- the working times: checkindate[].workdays x checkintime[], as weekly windows
		schedule_ref := 'wecom:group:' OPERATOR(pg_catalog.||) gid;
		sid := NULL;
		PERFORM hrguard.vendor_check_windows(grp, fn);
		SELECT pg_catalog.array_agg(DISTINCT w.win ORDER BY w.win) INTO wanted
		  FROM (SELECT pg_catalog.format('%s %s %s',
					CASE WHEN d.value::pg_catalog.int4 OPERATOR(pg_catalog.=) 0 THEN 7 ELSE d.value::pg_catalog.int4 END,
					pg_catalog.make_interval(secs => hrguard.vendor_integer(t.value, 'work_sec', fn)
											 OPERATOR(pg_catalog.%) 86400)::pg_catalog.time,
					-- a shift to midnight ends at 24:00 of its day
					CASE WHEN hrguard.vendor_integer(t.value, 'off_work_sec', fn) OPERATOR(pg_catalog.%) 86400
							  OPERATOR(pg_catalog.=) 0
						 THEN '24:00'::pg_catalog.time
						 ELSE pg_catalog.make_interval(secs => hrguard.vendor_integer(t.value, 'off_work_sec', fn)
													   OPERATOR(pg_catalog.%) 86400)::pg_catalog.time END) AS win
				  FROM pg_catalog.jsonb_array_elements(coalesce(grp OPERATOR(pg_catalog.->) 'checkindate', '[]')) c,
					   pg_catalog.jsonb_array_elements(coalesce(c.value OPERATOR(pg_catalog.->) 'workdays', '[]')) d,
					   pg_catalog.jsonb_array_elements(coalesce(c.value OPERATOR(pg_catalog.->) 'checkintime', '[]')) t) w;
		-- two working times starting together on one day: which one is meant?
		IF (SELECT pg_catalog.count(DISTINCT pg_catalog.split_part(x, ' ', 1) OPERATOR(pg_catalog.||) ' '
									 OPERATOR(pg_catalog.||) pg_catalog.split_part(x, ' ', 2))
			  FROM pg_catalog.unnest(wanted) x) OPERATOR(pg_catalog.<>) coalesce(pg_catalog.cardinality(wanted), 0) THEN
			RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
				MESSAGE = pg_catalog.format('%s: group %s has two working times starting at the same time of one day',
											fn, gid),
				DETAIL = 'Nothing was imported.';
		END IF;
		IF wanted IS NOT NULL THEN
			SELECT s.schedule_id, s.name INTO sid, stored_name FROM hrguard.schedule s
			 WHERE s.tenant_id OPERATOR(pg_catalog.=) tenant AND s.vendor_ref OPERATOR(pg_catalog.=) schedule_ref
			   FOR UPDATE;
			IF NOT FOUND THEN
				BEGIN
					INSERT INTO hrguard.schedule AS s (tenant_id, name, vendor_ref)
					VALUES (tenant, pg_catalog.format('WeCom %s: %s', gid, group_name), schedule_ref)
					RETURNING s.schedule_id INTO sid;
				EXCEPTION WHEN unique_violation THEN
					RAISE EXCEPTION USING ERRCODE = 'unique_violation',
						MESSAGE = pg_catalog.format('%s: tenant %s already has a schedule named "WeCom %s: %s"',
													fn, tenant, gid, pg_catalog.left(group_name, 64)),
						HINT = 'Rename that schedule, or set its vendor_ref to ' OPERATOR(pg_catalog.||) schedule_ref
							   OPERATOR(pg_catalog.||) ' to have it updated by the import.';
				END;
				action := 'created';
			ELSE
				SELECT pg_catalog.array_agg(pg_catalog.format('%s %s %s', w.isodow, w.starts_at, w.ends_at)
											ORDER BY pg_catalog.format('%s %s %s', w.isodow, w.starts_at, w.ends_at))
				  INTO stored
				  FROM hrguard.schedule_window w WHERE w.schedule_id OPERATOR(pg_catalog.=) sid;
				action := CASE WHEN stored IS NOT DISTINCT FROM wanted
								AND stored_name OPERATOR(pg_catalog.=) pg_catalog.format('WeCom %s: %s', gid, group_name)
							   THEN 'unchanged' ELSE 'updated' END;
				UPDATE hrguard.schedule s SET name = pg_catalog.format('WeCom %s: %s', gid, group_name)
				 WHERE s.schedule_id OPERATOR(pg_catalog.=) sid
				   AND s.name OPERATOR(pg_catalog.<>) pg_catalog.format('WeCom %s: %s', gid, group_name);
			END IF;
			IF action OPERATOR(pg_catalog.<>) 'unchanged' THEN
				DELETE FROM hrguard.schedule_window w WHERE w.schedule_id OPERATOR(pg_catalog.=) sid;
				INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
				SELECT sid, pg_catalog.split_part(x, ' ', 1)::pg_catalog.int2,
					   pg_catalog.split_part(x, ' ', 2)::pg_catalog.time,
					   pg_catalog.split_part(x, ' ', 3)::pg_catalog.time
				  FROM pg_catalog.unnest(wanted) x;
			END IF;
			object := 'schedule'; vendor_ref := schedule_ref; object_id := sid; note := NULL;
			RETURN NEXT;
		END IF;
		IF pg_catalog.jsonb_array_length(coalesce(grp OPERATOR(pg_catalog.->) 'spe_workdays', '[]')) OPERATOR(pg_catalog.>) 0
		   OR pg_catalog.jsonb_array_length(coalesce(grp OPERATOR(pg_catalog.->) 'spe_offdays', '[]')) OPERATOR(pg_catalog.>) 0 THEN
			object := 'calendar'; vendor_ref := schedule_ref; object_id := NULL; action := 'skipped';
			note := 'special working and days off of one group are not imported: hrguard.calendar_day holds a tenant''s holidays and make-up days';
			RETURN NEXT;
		END IF;

		-- the Wi-Fi allow-list, kept on each of the group's zones
		SELECT pg_catalog.array_agg(pg_catalog.lower(w.value OPERATOR(pg_catalog.->>) 'wifimac') ORDER BY w.ord)
		  INTO bssid_list
		  FROM pg_catalog.jsonb_array_elements(coalesce(grp OPERATOR(pg_catalog.->) 'wifimac_infos', '[]'))
			   WITH ORDINALITY w(value, ord)
		 WHERE coalesce(w.value OPERATOR(pg_catalog.->>) 'wifimac', '') OPERATOR(pg_catalog.<>) '';

		-- the attendance points: circles, centre in GCJ-02 times 10^6
		zone_ids := '{}';
		FOR loc IN SELECT l.value FROM pg_catalog.jsonb_array_elements(coalesce(grp OPERATOR(pg_catalog.->) 'loc_infos', '[]')) l
		LOOP
			IF pg_catalog.jsonb_typeof(loc) OPERATOR(pg_catalog.<>) 'object' THEN
				RAISE EXCEPTION USING ERRCODE = 'sql_json_object_not_found',
					MESSAGE = pg_catalog.format('%s: an attendance point of group %s is not a JSON object', fn, gid);
			END IF;
			-- integers of 10^-6 degree, as WeCom writes them
			lat := hrguard.vendor_number(loc, 'lat', fn);
			lng := hrguard.vendor_number(loc, 'lng', fn);
			IF pg_catalog.trunc(lat) OPERATOR(pg_catalog.<>) lat OR pg_catalog.trunc(lng) OPERATOR(pg_catalog.<>) lng THEN
				RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
					MESSAGE = pg_catalog.format('%s: an attendance point of group %s is at %s, %s', fn, gid, lat, lng),
					DETAIL = 'WeCom writes positions as whole numbers of 10^-6 degree. Nothing was imported.';
			END IF;
			vendor_ref := pg_catalog.format('wecom:group:%s:loc:%s,%s', gid, lat, lng);
			zone_result := hrguard.vendor_circle_zone(
				tenant, vendor_ref,
				hrguard.vendor_text(coalesce(NULLIF(pg_catalog.btrim(loc OPERATOR(pg_catalog.->>) 'loc_title'), ''), group_name),
									'place name', fn),
				pg_catalog.trim_scale(lat OPERATOR(pg_catalog./) 1000000),
				pg_catalog.trim_scale(lng OPERATOR(pg_catalog./) 1000000),
				hrguard.vendor_number(loc, 'distance', fn),
				hrguard.vendor_text(NULLIF(loc OPERATOR(pg_catalog.->>) 'loc_detail', ''), 'address', fn),
				bssid_list, fn);
			zone_ids := zone_ids OPERATOR(pg_catalog.||) zone_result.zone_id;
			object := 'zone';
			object_id := zone_result.zone_id; action := zone_result.action; note := NULL;
			RETURN NEXT;
		END LOOP;
		IF bssid_list IS NOT NULL AND pg_catalog.cardinality(zone_ids) OPERATOR(pg_catalog.=) 0 THEN
			object := 'wifi'; vendor_ref := schedule_ref; object_id := NULL; action := 'skipped';
			note := 'a Wi-Fi allow-list without an attendance point: hrguard keeps BSSIDs on zones';
			RETURN NEXT;
		END IF;

		-- the group's members, by WeCom user id: the group's zones are theirs
		FOR userid IN SELECT u.value OPERATOR(pg_catalog.#>>) '{}'
						FROM pg_catalog.jsonb_array_elements(coalesce(grp OPERATOR(pg_catalog.#>) '{range,userid}', '[]')) u
		LOOP
			SELECT e.employee_id INTO emp FROM hrguard.employee e
			 WHERE e.wecom_userid OPERATOR(pg_catalog.=) userid AND e.tenant_id OPERATOR(pg_catalog.=) tenant;
			IF NOT FOUND THEN
				object := 'assignment'; vendor_ref := userid; object_id := NULL; action := 'skipped';
				note := 'no employee of this tenant has this WeCom user id';
				RETURN NEXT;
				CONTINUE;
			END IF;
			-- an employee without a schedule works the group's hours
			IF sid IS NOT NULL THEN
				UPDATE hrguard.employee e SET schedule_id = sid
				 WHERE e.employee_id OPERATOR(pg_catalog.=) emp AND e.schedule_id IS NULL;
				IF FOUND THEN
					object := 'employee_schedule'; vendor_ref := userid; object_id := sid;
					action := 'set'; note := 'employee ' OPERATOR(pg_catalog.||) emp;
					RETURN NEXT;
				END IF;
			END IF;
			FOR object_id IN
				INSERT INTO hrguard.zone_assignment AS a (zone_id, employee_id)
				SELECT z, emp FROM pg_catalog.unnest(zone_ids) z
				ON CONFLICT DO NOTHING
				RETURNING a.assignment_id
			LOOP
				object := 'assignment'; vendor_ref := userid; action := 'created';
				note := 'employee ' OPERATOR(pg_catalog.||) emp;
				RETURN NEXT;
			END LOOP;
		END LOOP;
		IF pg_catalog.jsonb_array_length(coalesce(grp OPERATOR(pg_catalog.#>) '{range,party_id}', '[]')) OPERATOR(pg_catalog.>) 0
		   OR pg_catalog.jsonb_array_length(coalesce(grp OPERATOR(pg_catalog.#>) '{range,partyid}', '[]')) OPERATOR(pg_catalog.>) 0
		   OR pg_catalog.jsonb_array_length(coalesce(grp OPERATOR(pg_catalog.#>) '{range,tagid}', '[]')) OPERATOR(pg_catalog.>) 0 THEN
			object := 'assignment'; vendor_ref := schedule_ref; object_id := NULL; action := 'skipped';
			note := 'departments and tags are not mapped: assign the zones to teams in hrguard.zone_assignment';
			RETURN NEXT;
		END IF;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION hrguard.import_wecom_checkin_option(text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.import_wecom_checkin_option(text, text) IS
	'zones and schedules from a WeCom checkin/getcorpcheckinoption response; runs as its caller';

-- the windows of a WeCom group make sense: days 0-7, times within two days
CREATE FUNCTION hrguard.vendor_check_windows(grp jsonb, function_name text)
	RETURNS void
	LANGUAGE plpgsql
	IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	bad text;
	c jsonb;
BEGIN
	-- the shapes: arrays of objects, arrays of days
	IF grp OPERATOR(pg_catalog.?) 'checkindate'
	   AND pg_catalog.jsonb_typeof(grp OPERATOR(pg_catalog.->) 'checkindate') OPERATOR(pg_catalog.<>) 'array' THEN
		bad := 'checkindate that is not an array';
	END IF;
	FOR c IN SELECT x.value FROM pg_catalog.jsonb_array_elements(
				 CASE WHEN bad IS NULL THEN coalesce(grp OPERATOR(pg_catalog.->) 'checkindate', '[]') ELSE '[]' END) x
	LOOP
		IF pg_catalog.jsonb_typeof(c) OPERATOR(pg_catalog.<>) 'object'
		   OR pg_catalog.jsonb_typeof(coalesce(c OPERATOR(pg_catalog.->) 'workdays', '[]')) OPERATOR(pg_catalog.<>) 'array'
		   OR pg_catalog.jsonb_typeof(coalesce(c OPERATOR(pg_catalog.->) 'checkintime', '[]')) OPERATOR(pg_catalog.<>) 'array'
		   OR EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(coalesce(c OPERATOR(pg_catalog.->) 'checkintime', '[]')) t
					  WHERE pg_catalog.jsonb_typeof(t.value) OPERATOR(pg_catalog.<>) 'object') THEN
			bad := 'checkindate entry that is not {"workdays": [...], "checkintime": [{...}]}';
			EXIT;
		END IF;
	END LOOP;
	IF bad IS NULL THEN
		SELECT pg_catalog.format('workday %s', d.value) INTO bad
		  FROM pg_catalog.jsonb_array_elements(coalesce(grp OPERATOR(pg_catalog.->) 'checkindate', '[]')) c,
			   pg_catalog.jsonb_array_elements(coalesce(c.value OPERATOR(pg_catalog.->) 'workdays', '[]')) d
		 WHERE pg_catalog.jsonb_typeof(d.value) OPERATOR(pg_catalog.<>) 'number'
			OR d.value::pg_catalog.numeric OPERATOR(pg_catalog.<>) pg_catalog.trunc(d.value::pg_catalog.numeric)
			OR d.value::pg_catalog.numeric NOT BETWEEN 0 AND 7
		 LIMIT 1;
	END IF;
	-- a working time starts within its day and lasts more than nothing and
	-- at most a day (a whole day only from midnight to midnight)
	IF bad IS NULL THEN
		SELECT pg_catalog.format('working time %s', t.value) INTO bad
		  FROM pg_catalog.jsonb_array_elements(coalesce(grp OPERATOR(pg_catalog.->) 'checkindate', '[]')) c,
			   pg_catalog.jsonb_array_elements(coalesce(c.value OPERATOR(pg_catalog.->) 'checkintime', '[]')) t,
			   LATERAL (SELECT hrguard.vendor_integer(t.value, 'work_sec', function_name) AS work_sec,
							   hrguard.vendor_integer(t.value, 'off_work_sec', function_name) AS off_sec) w
		 WHERE w.work_sec NOT BETWEEN 0 AND 86399
			OR w.off_sec OPERATOR(pg_catalog.<=) w.work_sec
			OR w.off_sec OPERATOR(pg_catalog.-) w.work_sec OPERATOR(pg_catalog.>) 86400
			OR (w.off_sec OPERATOR(pg_catalog.-) w.work_sec OPERATOR(pg_catalog.=) 86400
				AND w.work_sec OPERATOR(pg_catalog.<>) 0)
		 LIMIT 1;
	END IF;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('%s: group %s has a %s hrguard cannot take',
										function_name, pg_catalog.left((grp OPERATOR(pg_catalog.->) 'groupid')::pg_catalog.text, 32),
										pg_catalog.left(bad, 80)),
			DETAIL = 'Workdays are 0 (Sunday) to 7; work_sec is whole seconds after local midnight, off_work_sec after work_sec, at most a day later (a whole day only from midnight). Nothing was imported.';
	END IF;
END
$$;
-- the imports run as their caller, who runs this too: it only reads its arguments
GRANT EXECUTE ON FUNCTION hrguard.vendor_check_windows(jsonb, text) TO PUBLIC;
COMMENT ON FUNCTION hrguard.vendor_check_windows(jsonb, text) IS
	'internal: the working times of a WeCom attendance group are usable';

CREATE FUNCTION hrguard.import_dingtalk_positions(payload text, group_key text,
		tenant_id text DEFAULT 'default')
	RETURNS TABLE (object text, vendor_ref text, object_id bigint, action text, note text)
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_column
DECLARE
	fn constant text := 'hrguard.import_dingtalk_positions';
	tenant constant text := import_dingtalk_positions.tenant_id;
	doc jsonb;
	positions jsonb;
	pos jsonb;
	ref text;
	zone_result record;
BEGIN
	PERFORM hrguard.vendor_text(group_key, 'group key', fn);
	IF payload IS NULL OR tenant IS NULL OR pg_catalog.btrim(tenant) OPERATOR(pg_catalog.=) ''
	   OR group_key IS NULL OR pg_catalog.btrim(group_key) OPERATOR(pg_catalog.=) '' THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = pg_catalog.format('%s needs a payload, a group_key and a tenant_id', fn);
	END IF;
	doc := payload::pg_catalog.jsonb;
	-- attendance/group/positions/query: result.position_list (result.result.position_list
	-- in the SDKs' wrapping)
	positions := hrguard.vendor_records(doc,
		CASE WHEN doc OPERATOR(pg_catalog.#>) '{result,result,position_list}' IS NOT NULL
			 THEN '{result,result,position_list}' ELSE '{result,position_list}' END::pg_catalog.text[],
		fn, 'DingTalk');
	FOR pos IN SELECT p.value FROM pg_catalog.jsonb_array_elements(positions) p
	LOOP
		IF pg_catalog.jsonb_typeof(pos) OPERATOR(pg_catalog.<>) 'object' THEN
			RAISE EXCEPTION USING ERRCODE = 'sql_json_object_not_found',
				MESSAGE = pg_catalog.format('%s: a position is not a JSON object', fn);
		END IF;
		ref := pg_catalog.format('dingtalk:group:%s:position:%s', group_key,
			coalesce(hrguard.vendor_text(NULLIF(pos OPERATOR(pg_catalog.->>) 'position_key', ''), 'position key', fn),
					 pg_catalog.format('%s,%s', hrguard.vendor_number(pos, 'latitude', fn),
									   hrguard.vendor_number(pos, 'longitude', fn))));
		zone_result := hrguard.vendor_circle_zone(
			tenant, ref,
			hrguard.vendor_text(coalesce(NULLIF(pg_catalog.btrim(pos OPERATOR(pg_catalog.->>) 'address'), ''),
										 'DingTalk position ' OPERATOR(pg_catalog.||) ref), 'place name', fn),
			hrguard.vendor_number(pos, 'latitude', fn), hrguard.vendor_number(pos, 'longitude', fn),
			hrguard.vendor_number(pos, 'offset', fn),
			NULLIF(pos OPERATOR(pg_catalog.->>) 'address', ''), NULL, fn);
		object := 'zone'; vendor_ref := ref; object_id := zone_result.zone_id;
		action := zone_result.action; note := NULL;
		RETURN NEXT;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION hrguard.import_dingtalk_positions(text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.import_dingtalk_positions(text, text, text) IS
	'zones from a DingTalk attendance/group/positions/query response; runs as its caller';
