-- punch_source.sql -- an HR system's own attendance table attached to
-- hrguard: every row inserted into it also becomes a punch (verdict,
-- alerts, evidence), with no change to the table or to the application's
-- INSERTs.  The mapping is checked once, when the table is attached, and
-- travels as the argument of the table's trigger.

-- The trigger on an attached table: the row's mapped columns as a punch.
-- It inserts as the role whose INSERT fired it, so PostgreSQL checks that
-- role's INSERT on hrguard.punch (and on hrguard.ingest_reject when
-- problems are recorded) as for any statement of theirs.
CREATE FUNCTION hrguard.punch_source_insert()
	RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	m jsonb;
	r jsonb;
	k text;
	source_name text;
BEGIN
	IF TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP OPERATOR(pg_catalog.<>) 'INSERT' OR TG_NARGS OPERATOR(pg_catalog.<>) 2
	   OR TG_TABLE_SCHEMA OPERATOR(pg_catalog.=) 'hrguard' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('%s fired where hrguard.attach_punch_source did not attach it', TG_NAME);
	END IF;
	m := TG_ARGV[0]::pg_catalog.jsonb;
	r := pg_catalog.to_jsonb(NEW);
	source_name := pg_catalog.format('table:%s.%s', TG_TABLE_SCHEMA, TG_TABLE_NAME);
	-- the table changed since it was attached (its mapped columns, the
	-- trigger's second argument): every row would be wrong
	IF NOT r OPERATOR(pg_catalog.?&) TG_ARGV[1]::pg_catalog.text[] THEN
		SELECT c INTO k FROM pg_catalog.unnest(TG_ARGV[1]::pg_catalog.text[]) c
		 WHERE NOT r OPERATOR(pg_catalog.?) c LIMIT 1;
		RAISE EXCEPTION USING ERRCODE = 'undefined_column',
			MESSAGE = pg_catalog.format('column "%s" of %s.%s, named by its punch source mapping, no longer exists',
										k, TG_TABLE_SCHEMA, TG_TABLE_NAME),
			HINT = 'Detach the table and attach it again with a mapping of its columns as they are.';
	END IF;
	IF m OPERATOR(pg_catalog.->>) 'on_error' OPERATOR(pg_catalog.=) 'record' THEN
		BEGIN
			PERFORM hrguard.punch_source_write(m, r, source_name);
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO hrguard.ingest_reject (source, vendor_userid, source_record_id, reason, detail,
											   raw_record, raw_sha256)
			VALUES (source_name, r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'employee_id'),
					r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'source_record_id'),
					'punch_refused', SQLSTATE OPERATOR(pg_catalog.||) ': ' OPERATOR(pg_catalog.||) SQLERRM,
					r::pg_catalog.text,
					pg_catalog.sha256(pg_catalog.convert_to(r::pg_catalog.text, 'UTF8')))
			ON CONFLICT DO NOTHING;
		END;
	ELSE
		PERFORM hrguard.punch_source_write(m, r, source_name);
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION hrguard.punch_source_insert() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.punch_source_insert() IS
	'trigger of a table attached by hrguard.attach_punch_source: each inserted row becomes a punch';

-- The punch of one attached row (r: the row as JSON), inserted as the
-- inserting role; a row that does not arrive in hrguard.punch (a trigger
-- of the DBA's dropped it) is an error, never a silent loss.
CREATE FUNCTION hrguard.punch_source_write(m jsonb, r jsonb, source_name text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	-- coordinates pass through their text form: every digit
	SET extra_float_digits = 3
	AS $$
DECLARE
	at timestamptz;
	lat float8;
	lon float8;
	datum text;
	kind text;
	stored bigint;
BEGIN
	IF m OPERATOR(pg_catalog.?) 'time_zone' THEN
		at := pg_catalog.timezone(m OPERATOR(pg_catalog.->>) 'time_zone',
			(r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'punched_at'))::pg_catalog.timestamp);
	ELSE
		at := (r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'punched_at'))::pg_catalog.timestamptz;
	END IF;
	IF m OPERATOR(pg_catalog.?) 'lat' THEN
		lat := (r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'lat'))::pg_catalog.float8;
		lon := (r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'lon'))::pg_catalog.float8;
		-- a row without coordinates has no datum either
		IF lat IS NOT NULL OR lon IS NOT NULL THEN
			datum := coalesce(m OPERATOR(pg_catalog.->>) 'fixed_datum',
							  r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'datum'));
		END IF;
	END IF;
	kind := coalesce(m OPERATOR(pg_catalog.#>>)
						 ARRAY['check_type_values', r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'check_type')],
					 r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'check_type'),
					 'other');
	IF kind OPERATOR(pg_catalog.<>) ALL (ARRAY['on_duty', 'off_duty', 'visit', 'other']) THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('the value %s of column "%s" of %s is not a check type',
										pg_catalog.quote_literal(kind), m OPERATOR(pg_catalog.->>) 'check_type',
										pg_catalog.substr(source_name, 7)),
			HINT = 'Map it in the mapping''s "check_type_values" to on_duty, off_duty, visit or other.';
	END IF;
	INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, raw_lat, raw_lon, raw_crs, accuracy_m,
							   check_type, source, source_record_id, device_id, wifi_bssid, address)
	VALUES (r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'employee_id'),
			at,
			CASE WHEN datum OPERATOR(pg_catalog.=) 'wgs84' THEN lat END,
			CASE WHEN datum OPERATOR(pg_catalog.=) 'wgs84' THEN lon END,
			CASE WHEN datum OPERATOR(pg_catalog.<>) 'wgs84' OR (datum IS NULL AND lat IS NOT NULL) THEN lat END,
			CASE WHEN datum OPERATOR(pg_catalog.<>) 'wgs84' OR (datum IS NULL AND lon IS NOT NULL) THEN lon END,
			CASE WHEN datum OPERATOR(pg_catalog.<>) 'wgs84' THEN datum END,
			(r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'accuracy_m'))::pg_catalog.float8,
			kind,
			source_name,
			r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'source_record_id'),
			r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'device_id'),
			r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'wifi_bssid'),
			r OPERATOR(pg_catalog.->>) (m OPERATOR(pg_catalog.->>) 'address'));
	GET DIAGNOSTICS stored = ROW_COUNT;
	IF stored OPERATOR(pg_catalog.<>) 1 THEN
		RAISE EXCEPTION USING ERRCODE = 'triggered_action_exception',
			MESSAGE = pg_catalog.format('the punch of a row of %s was not stored', pg_catalog.substr(source_name, 7)),
			DETAIL = 'A trigger on hrguard.punch dropped it.';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION hrguard.punch_source_write(jsonb, jsonb, text) FROM PUBLIC;
-- the trigger runs it as the inserting role, who may not hold EXECUTE
GRANT EXECUTE ON FUNCTION hrguard.punch_source_write(jsonb, jsonb, text) TO PUBLIC;
COMMENT ON FUNCTION hrguard.punch_source_write(jsonb, jsonb, text) IS
	'internal: the punch of one row of an attached table, inserted as the inserting role';

-- the columns a mapping may name, and the kinds of type each takes
CREATE FUNCTION hrguard.punch_source_check_column(tbl regclass, key text, col text, kinds text[])
	RETURNS text
	LANGUAGE plpgsql
	STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	typ regtype;
	kind text;
BEGIN
	SELECT a.atttypid::pg_catalog.regtype INTO typ
	  FROM pg_catalog.pg_attribute a
	 WHERE a.attrelid OPERATOR(pg_catalog.=) tbl AND a.attname OPERATOR(pg_catalog.=) col
	   AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_column',
			MESSAGE = pg_catalog.format('column "%s" of %s does not exist', col, tbl),
			DETAIL = pg_catalog.format('The mapping names it for %s.', key);
	END IF;
	-- domains count as their base type
	SELECT CASE
			 WHEN b.typcategory OPERATOR(pg_catalog.=) 'S' THEN 'text'
			 WHEN b.oid OPERATOR(pg_catalog.=) ANY (ARRAY['int2', 'int4', 'int8']::pg_catalog.regtype[]) THEN 'integer'
			 WHEN b.typcategory OPERATOR(pg_catalog.=) 'N' THEN 'number'
			 WHEN b.oid OPERATOR(pg_catalog.=) 'timestamptz'::pg_catalog.regtype THEN 'timestamptz'
			 WHEN b.oid OPERATOR(pg_catalog.=) 'timestamp'::pg_catalog.regtype THEN 'timestamp'
			 ELSE 'other' END
	  INTO kind
	  FROM pg_catalog.pg_type t
	  JOIN pg_catalog.pg_type b ON b.oid OPERATOR(pg_catalog.=)
		   CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN t.typbasetype ELSE t.oid END
	 WHERE t.oid OPERATOR(pg_catalog.=) typ;
	IF NOT kind OPERATOR(pg_catalog.=) ANY (kinds)
	   AND NOT (kind OPERATOR(pg_catalog.=) 'integer' AND 'number' OPERATOR(pg_catalog.=) ANY (kinds)) THEN
		RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
			MESSAGE = pg_catalog.format('column "%s" of %s is %s, which cannot be a punch''s %s',
										col, tbl, typ, key),
			DETAIL = pg_catalog.format('%s takes a column of type %s.', key,
									   pg_catalog.array_to_string(kinds, ' or '));
	END IF;
	RETURN kind;
END
$$;
REVOKE ALL ON FUNCTION hrguard.punch_source_check_column(regclass, text, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hrguard.punch_source_check_column(regclass, text, text, text[]) TO PUBLIC;
COMMENT ON FUNCTION hrguard.punch_source_check_column(regclass, text, text, text[]) IS
	'internal: a column a punch source mapping names exists and has a type it can take';

CREATE FUNCTION hrguard.attach_punch_source(source_table regclass, mapping jsonb)
	RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	keys constant text[] := ARRAY['employee_id', 'punched_at', 'lat', 'lon', 'datum', 'fixed_datum',
								  'accuracy_m', 'device_id', 'check_type', 'check_type_values',
								  'source_record_id', 'wifi_bssid', 'address', 'time_zone', 'on_error'];
	k text;
	kind text;
	rel record;
BEGIN
	IF source_table IS NULL OR mapping IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'hrguard.attach_punch_source needs a table and a mapping';
	END IF;
	SELECT c.relkind, n.nspname INTO rel
	  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
	 WHERE c.oid OPERATOR(pg_catalog.=) source_table;
	IF NOT FOUND OR NOT rel.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p']::"char"[])
	   OR rel.nspname OPERATOR(pg_catalog.=) ANY (ARRAY['hrguard', 'pg_catalog', 'information_schema']) THEN
		RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
			MESSAGE = pg_catalog.format('%s cannot be a punch source', source_table),
			DETAIL = 'A punch source is an application''s own table (ordinary or partitioned), outside hrguard''s schema and the catalogs.';
	END IF;
	IF rel.relkind OPERATOR(pg_catalog.=) 'r' AND EXISTS (
		SELECT FROM pg_catalog.pg_inherits i WHERE i.inhparent OPERATOR(pg_catalog.=) source_table) THEN
		RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
			MESSAGE = pg_catalog.format('%s has inheritance children, whose inserts its trigger would not see', source_table),
			HINT = 'Attach each table rows are inserted into (a partitioned table passes its trigger to its partitions).';
	END IF;
	IF pg_catalog.jsonb_typeof(mapping) OPERATOR(pg_catalog.<>) 'object' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'a punch source mapping is a JSON object: {"employee_id": column, "punched_at": column, ...}';
	END IF;
	FOR k IN SELECT pg_catalog.jsonb_object_keys(mapping) LOOP
		IF NOT k OPERATOR(pg_catalog.=) ANY (keys) THEN
			RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
				MESSAGE = pg_catalog.format('a punch source mapping has no "%s"', pg_catalog.left(k, 64)),
				DETAIL = 'It takes ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(keys, ', ') OPERATOR(pg_catalog.||) '.';
		END IF;
		IF k OPERATOR(pg_catalog.<>) 'check_type_values'
		   AND pg_catalog.jsonb_typeof(mapping OPERATOR(pg_catalog.->) k) OPERATOR(pg_catalog.<>) 'string' THEN
			RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
				MESSAGE = pg_catalog.format('the mapping''s "%s" must be a string', k);
		END IF;
	END LOOP;
	FOREACH k IN ARRAY ARRAY['employee_id', 'punched_at'] LOOP
		IF NOT mapping OPERATOR(pg_catalog.?) k THEN
			RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
				MESSAGE = pg_catalog.format('a punch source mapping needs "%s"', k);
		END IF;
	END LOOP;
	IF (mapping OPERATOR(pg_catalog.?) 'lat') OPERATOR(pg_catalog.<>) (mapping OPERATOR(pg_catalog.?) 'lon') THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'a punch source mapping names both "lat" and "lon", or neither';
	END IF;
	IF mapping OPERATOR(pg_catalog.?) 'lat'
	   AND (mapping OPERATOR(pg_catalog.?) 'datum') OPERATOR(pg_catalog.=) (mapping OPERATOR(pg_catalog.?) 'fixed_datum') THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'a punch source mapping with coordinates names their datum: "datum" (a column) or "fixed_datum" (wgs84, gcj02 or bd09)',
			HINT = 'DingTalk and WeCom coordinates are gcj02; GPS devices report wgs84; Baidu maps use bd09.';
	END IF;
	IF mapping OPERATOR(pg_catalog.?) 'fixed_datum'
	   AND NOT (mapping OPERATOR(pg_catalog.->>) 'fixed_datum') OPERATOR(pg_catalog.=) ANY (ARRAY['wgs84', 'gcj02', 'bd09']) THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('unknown datum "%s"', pg_catalog.left(mapping OPERATOR(pg_catalog.->>) 'fixed_datum', 64)),
			DETAIL = 'Coordinates must name their datum: wgs84, gcj02 or bd09.';
	END IF;
	IF mapping OPERATOR(pg_catalog.?) 'on_error'
	   AND NOT (mapping OPERATOR(pg_catalog.->>) 'on_error') OPERATOR(pg_catalog.=) ANY (ARRAY['fail', 'record']) THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'the mapping''s "on_error" is fail (the application''s insert fails) or record (the row is kept and the problem recorded in hrguard.ingest_reject)';
	END IF;
	IF mapping OPERATOR(pg_catalog.?) 'check_type_values'
	   AND (pg_catalog.jsonb_typeof(mapping OPERATOR(pg_catalog.->) 'check_type_values') OPERATOR(pg_catalog.<>) 'object'
			OR NOT mapping OPERATOR(pg_catalog.?) 'check_type'
			OR EXISTS (SELECT FROM pg_catalog.jsonb_each(mapping OPERATOR(pg_catalog.->) 'check_type_values') v
					   WHERE NOT (v.value OPERATOR(pg_catalog.#>>) '{}') OPERATOR(pg_catalog.=) ANY
								 (ARRAY['on_duty', 'off_duty', 'visit', 'other']))) THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'the mapping''s "check_type_values" maps the values of the "check_type" column to on_duty, off_duty, visit or other';
	END IF;

	-- each named column exists and has a type its punch column takes
	PERFORM hrguard.punch_source_check_column(source_table, 'employee_id',
		mapping OPERATOR(pg_catalog.->>) 'employee_id', ARRAY['text', 'integer']);
	kind := hrguard.punch_source_check_column(source_table, 'punched_at',
		mapping OPERATOR(pg_catalog.->>) 'punched_at', ARRAY['timestamptz', 'timestamp']);
	IF kind OPERATOR(pg_catalog.=) 'timestamp' AND NOT mapping OPERATOR(pg_catalog.?) 'time_zone' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('column "%s" of %s is a time without time zone; the mapping must name its "time_zone"',
										mapping OPERATOR(pg_catalog.->>) 'punched_at', source_table);
	END IF;
	IF mapping OPERATOR(pg_catalog.?) 'time_zone'
	   AND NOT hrguard.is_timezone(mapping OPERATOR(pg_catalog.->>) 'time_zone') THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('unknown time zone "%s"', pg_catalog.left(mapping OPERATOR(pg_catalog.->>) 'time_zone', 64));
	END IF;
	FOREACH k IN ARRAY ARRAY['lat', 'lon', 'accuracy_m'] LOOP
		IF mapping OPERATOR(pg_catalog.?) k THEN
			PERFORM hrguard.punch_source_check_column(source_table, k, mapping OPERATOR(pg_catalog.->>) k, ARRAY['number']);
		END IF;
	END LOOP;
	FOREACH k IN ARRAY ARRAY['datum', 'device_id', 'check_type', 'wifi_bssid', 'address'] LOOP
		IF mapping OPERATOR(pg_catalog.?) k THEN
			PERFORM hrguard.punch_source_check_column(source_table, k, mapping OPERATOR(pg_catalog.->>) k, ARRAY['text']);
		END IF;
	END LOOP;
	IF mapping OPERATOR(pg_catalog.?) 'source_record_id' THEN
		PERFORM hrguard.punch_source_check_column(source_table, 'source_record_id',
			mapping OPERATOR(pg_catalog.->>) 'source_record_id', ARRAY['text', 'integer']);
	END IF;

	IF EXISTS (SELECT FROM pg_catalog.pg_trigger t
			   WHERE t.tgrelid OPERATOR(pg_catalog.=) source_table
				 AND t.tgname OPERATOR(pg_catalog.=) 'hrguard_punch_source') THEN
		RAISE EXCEPTION USING ERRCODE = 'duplicate_object',
			MESSAGE = pg_catalog.format('%s is already a punch source', source_table),
			HINT = 'Detach it with hrguard.detach_punch_source first to change its mapping.';
	END IF;
	EXECUTE pg_catalog.format(
		'CREATE TRIGGER hrguard_punch_source AFTER INSERT ON %s FOR EACH ROW '
		'EXECUTE FUNCTION hrguard.punch_source_insert(%L, %L)', source_table, mapping::pg_catalog.text,
		(SELECT pg_catalog.array_agg(e.value ORDER BY e.key)
		   FROM pg_catalog.jsonb_each_text(mapping) e
		  WHERE NOT e.key OPERATOR(pg_catalog.=) ANY
					(ARRAY['fixed_datum', 'time_zone', 'on_error', 'check_type_values']))::pg_catalog.text);
	-- also under session_replication_role = replica: no row goes by unseen
	EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ALWAYS TRIGGER hrguard_punch_source', source_table);
	RETURN mapping;
END
$$;
REVOKE ALL ON FUNCTION hrguard.attach_punch_source(regclass, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.attach_punch_source(regclass, jsonb) IS
	'every row inserted into an application''s attendance table also becomes a punch; runs as its caller';

CREATE FUNCTION hrguard.detach_punch_source(source_table regclass)
	RETURNS boolean
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF source_table IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'the table to detach must not be NULL';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger t
				   WHERE t.tgrelid OPERATOR(pg_catalog.=) source_table
					 AND t.tgname OPERATOR(pg_catalog.=) 'hrguard_punch_source') THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_object',
			MESSAGE = pg_catalog.format('%s is not a punch source', source_table);
	END IF;
	IF EXISTS (SELECT FROM pg_catalog.pg_trigger t
			   WHERE t.tgrelid OPERATOR(pg_catalog.=) source_table
				 AND t.tgname OPERATOR(pg_catalog.=) 'hrguard_punch_source'
				 AND t.tgparentid OPERATOR(pg_catalog.<>) 0) THEN
		RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
			MESSAGE = pg_catalog.format('%s is a partition of an attached table', source_table),
			HINT = 'Detach the partitioned table.';
	END IF;
	EXECUTE pg_catalog.format('DROP TRIGGER hrguard_punch_source ON %s', source_table);
	RETURN true;
END
$$;
REVOKE ALL ON FUNCTION hrguard.detach_punch_source(regclass) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.detach_punch_source(regclass) IS
	'stop making punches of an application table''s rows; runs as its caller';

CREATE VIEW hrguard.punch_sources WITH (security_invoker = true) AS
SELECT t.tgrelid::pg_catalog.regclass AS source_table,
	   pg_catalog.convert_from(pg_catalog.substring(t.tgargs, 1,
							   pg_catalog.position(t.tgargs, '\x00'::pg_catalog.bytea) OPERATOR(pg_catalog.-) 1),
							   'UTF8')::pg_catalog.jsonb AS mapping,
	   t.tgenabled OPERATOR(pg_catalog.=) 'A' AS enabled,
	   CASE t.tgenabled WHEN 'A' THEN 'always' WHEN 'O' THEN 'origin'
			WHEN 'R' THEN 'replica' ELSE 'never' END AS fires,
	   ARRAY(WITH RECURSIVE child(relid) AS (
				 SELECT i.inhrelid FROM pg_catalog.pg_inherits i
				  WHERE i.inhparent OPERATOR(pg_catalog.=) t.tgrelid
				 UNION
				 SELECT i.inhrelid FROM pg_catalog.pg_inherits i
				   JOIN child ON i.inhparent OPERATOR(pg_catalog.=) child.relid)
			 SELECT child.relid::pg_catalog.regclass
			   FROM child JOIN pg_catalog.pg_class k ON k.oid OPERATOR(pg_catalog.=) child.relid
			  WHERE NOT k.relispartition
				AND NOT EXISTS (SELECT FROM pg_catalog.pg_trigger w
								 WHERE w.tgrelid OPERATOR(pg_catalog.=) child.relid
								   AND w.tgname OPERATOR(pg_catalog.=) 'hrguard_punch_source'
								   AND w.tgenabled OPERATOR(pg_catalog.=) 'A')
			  ORDER BY child.relid) AS unwatched_children
  FROM pg_catalog.pg_trigger t
 WHERE t.tgname OPERATOR(pg_catalog.=) 'hrguard_punch_source'
   AND t.tgfoid OPERATOR(pg_catalog.=) 'hrguard.punch_source_insert()'::pg_catalog.regprocedure;
COMMENT ON VIEW hrguard.punch_sources IS
	'application tables attached as punch sources, with their mappings; enabled: the trigger fires in every session, replicas included (an ALTER TABLE ... ENABLE TRIGGER can make it fire in fewer: see fires); unwatched_children: inheritance children created after attaching, whose inserts the trigger does not see';
