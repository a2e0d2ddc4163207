-- case_report.sql -- hrguard.case_report(case_id): a page people can look
-- at, self-contained (no script, no external asset, no map tiles): the case,
-- its timeline of steps and evidence with each custody link, the alerts with
-- their explanations in English and Chinese, and an SVG map of the
-- employee's punches over the case's time against the tenant's zones
-- (office, client, competitor).  Written as XHTML, so that it is also
-- well-formed XML; every text from the database is escaped.

-- a text as HTML text or attribute value; the characters XML cannot hold
-- at all (controls other than tab and newlines, U+FFFE, U+FFFF) shown as
-- U+FFFD, so that the page stays well-formed; a carriage return kept as a
-- reference (a parser would read it as a newline); marks, embeddings,
-- overrides and isolates of direction, line and paragraph separators and
-- interlinear annotations (U+061C, U+200E, U+200F, U+2028..U+202E,
-- U+2066..U+2069, U+FFF9..U+FFFB) shown as [U+NNNN] rather than obeyed,
-- so that they cannot reorder what is read next to them
CREATE FUNCTION hrguard.html(value text)
	RETURNS text
	LANGUAGE sql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT CASE WHEN e.t OPERATOR(pg_catalog.~) '[\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufff9-\ufffb]'
			THEN (SELECT pg_catalog.string_agg(
							 CASE WHEN x.c OPERATOR(pg_catalog.~) '[\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufff9-\ufffb]'
								  THEN pg_catalog.format('[U+%s]', pg_catalog.lpad(pg_catalog.upper(pg_catalog.to_hex(pg_catalog.ascii(x.c))), 4, '0'))
								  ELSE x.c END, '' ORDER BY x.i)
					FROM pg_catalog.regexp_split_to_table(e.t, '') WITH ORDINALITY AS x(c, i))
			ELSE e.t END
  FROM (SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
				   pg_catalog.regexp_replace(COALESCE($1, ''), '[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]', pg_catalog.chr(65533), 'g'),
				   '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;'), pg_catalog.chr(13), '&#13;') AS t) e
$$;
REVOKE ALL ON FUNCTION hrguard.html(text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.html(text) IS
	'internal: a text escaped for HTML';

-- the tenant's zones that reach into a box (west, south, east, north in
-- WGS-84 degrees), at most 500: a polygon as GeoJSON from PostGIS, a circle
-- as its centre and radius.  PostGIS is called in the schema it is
-- installed in, so that nothing on the search path can stand in for it.
CREATE FUNCTION hrguard.case_zones(tenant_id text, west float8, south float8, east float8, north float8)
	RETURNS TABLE (zone_id bigint, name text, kind text, shape jsonb, clat float8, clon float8, radius_m float8)
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	SET extra_float_digits = 1
	AS $$
DECLARE
	gis name := (SELECT x.extnamespace::pg_catalog.regnamespace::pg_catalog.name
				   FROM pg_catalog.pg_extension x WHERE x.extname OPERATOR(pg_catalog.=) 'postgis');
BEGIN
	IF gis IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY EXECUTE pg_catalog.format(
		'SELECT zo.zone_id, zo.name, zo.kind, %1$I.st_asgeojson(zo.geom, 7, 0)::pg_catalog.jsonb, '
		'       %1$I.st_y(zo.center), %1$I.st_x(zo.center), zo.radius_m '
		'  FROM hrguard.zone zo '
		' WHERE zo.tenant_id OPERATOR(pg_catalog.=) $1 '
		'   AND %1$I.st_intersects(COALESCE(zo.geom, zo.center), %1$I.st_makeenvelope($2, $3, $4, $5, 4326)) '
		' ORDER BY zo.zone_id LIMIT 500', gis)
		USING $1, $2, $3, $4, $5;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_zones(text, float8, float8, float8, float8) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_zones(text, float8, float8, float8, float8) IS
	'internal: the zones of a tenant near a case''s punches, for its report';

-- the map: punches and zones projected on a plane around them (positions
-- pass through jsonb, so every function of the page writes float8 in full,
-- whatever the session's extra_float_digits)
CREATE FUNCTION hrguard.case_report_map(c hrguard."case", since timestamptz, until timestamptz, tz text)
	RETURNS text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	SET extra_float_digits = 1
	AS $$
DECLARE
	south float8;
	north float8;
	west float8;
	east float8;
	shown_punches bigint;
	kx float8;
	ky float8;
	svg text := '';
	z record;
	p record;
	shape jsonb;
	ring jsonb;
	points text;
	colour text;
	punches jsonb;
BEGIN
	-- the punches shown: the latest 2000 of the span, with a position
	SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
				'at', pg_catalog.to_char(pg_catalog.timezone($4, q.punched_at), 'YYYY-MM-DD HH24:MI'),
				'lat', q.lat, 'lon', q.lon, 'verdict', q.verdict, 'zone', q.zone, 'check_type', q.check_type)
			ORDER BY q.punched_at, q.punch_id), '[]'),
		   pg_catalog.min(q.lat), pg_catalog.max(q.lat), pg_catalog.min(q.lon), pg_catalog.max(q.lon), pg_catalog.count(*)
	  INTO punches, south, north, west, east, shown_punches
	  FROM (SELECT pu.punch_id, pu.punched_at, pu.lat, pu.lon, pu.verdict, zo.name AS zone, pu.check_type
			  FROM hrguard.punch pu
			  LEFT JOIN hrguard.zone zo ON zo.zone_id OPERATOR(pg_catalog.=) COALESCE(pu.watched_zone_id, pu.zone_id)
			 WHERE pu.employee_id OPERATOR(pg_catalog.=) c.employee_id
			   AND pu.punched_at OPERATOR(pg_catalog.>=) $2 AND pu.punched_at OPERATOR(pg_catalog.<) $3
			   AND pu.lat IS NOT NULL AND pu.lon IS NOT NULL
			 ORDER BY pu.punched_at DESC, pu.punch_id DESC LIMIT 2000) q;
	IF shown_punches OPERATOR(pg_catalog.=) 0 THEN
		RETURN '<p class="note">No punch with a position in the span of the case.</p>';
	END IF;
	-- a margin of about 500 m, then 640 x 420 at most, north up
	south := south OPERATOR(pg_catalog.-) 0.005;
	north := north OPERATOR(pg_catalog.+) 0.005;
	west := west OPERATOR(pg_catalog.-) 0.006;
	east := east OPERATOR(pg_catalog.+) 0.006;
	kx := pg_catalog.cos(pg_catalog.radians((south OPERATOR(pg_catalog.+) north) OPERATOR(pg_catalog./) 2));
	ky := LEAST(640 OPERATOR(pg_catalog./) ((east OPERATOR(pg_catalog.-) west) OPERATOR(pg_catalog.*) kx),
				420 OPERATOR(pg_catalog./) (north OPERATOR(pg_catalog.-) south));
	kx := kx OPERATOR(pg_catalog.*) ky;

	-- the tenant's zones that reach into the box
	FOR z IN SELECT * FROM hrguard.case_zones(c.tenant_id, west, south, east, north)
	LOOP
		colour := CASE z.kind WHEN 'competitor' THEN 'competitor' WHEN 'restricted' THEN 'competitor'
							  WHEN 'office' THEN 'office' ELSE 'client' END;	-- project as client
		IF z.clat IS NOT NULL THEN
			svg := svg OPERATOR(pg_catalog.||) pg_catalog.format(
				'<ellipse class="zone %s" cx="%s" cy="%s" rx="%s" ry="%s"><title>%s (%s)</title></ellipse>',
				colour,
				pg_catalog.round(((z.clon OPERATOR(pg_catalog.-) west) OPERATOR(pg_catalog.*) kx)::numeric, 1),
				pg_catalog.round(((north OPERATOR(pg_catalog.-) z.clat) OPERATOR(pg_catalog.*) ky)::numeric, 1),
				-- metres are the same on both axes of the plane
				pg_catalog.round((z.radius_m OPERATOR(pg_catalog./) 111320.0 OPERATOR(pg_catalog.*) ky)::numeric, 1),
				pg_catalog.round((z.radius_m OPERATOR(pg_catalog./) 111320.0 OPERATOR(pg_catalog.*) ky)::numeric, 1),
				hrguard.html(z.name), hrguard.html(z.kind));
		ELSE
			-- each polygon as one path of all its rings (holes stay holes),
			-- a ring of more than 2000 vertices drawn with every k-th
			FOR shape IN SELECT CASE WHEN z.shape OPERATOR(pg_catalog.->>) 'type' OPERATOR(pg_catalog.=) 'Polygon'
									 THEN z.shape OPERATOR(pg_catalog.->) 'coordinates'
									 ELSE x END
						   FROM pg_catalog.jsonb_array_elements(
									CASE WHEN z.shape OPERATOR(pg_catalog.->>) 'type' OPERATOR(pg_catalog.=) 'MultiPolygon'
										 THEN z.shape OPERATOR(pg_catalog.->) 'coordinates'
										 ELSE '[null]'::pg_catalog.jsonb END) x
			LOOP
				SELECT pg_catalog.string_agg(r.path, ' ')
				  INTO points
				  FROM (SELECT 'M' OPERATOR(pg_catalog.||) pg_catalog.string_agg(pg_catalog.format('%s,%s',
								pg_catalog.round((((v OPERATOR(pg_catalog.->>) 0)::float8 OPERATOR(pg_catalog.-) west) OPERATOR(pg_catalog.*) kx)::numeric, 1),
								pg_catalog.round(((north OPERATOR(pg_catalog.-) (v OPERATOR(pg_catalog.->>) 1)::float8) OPERATOR(pg_catalog.*) ky)::numeric, 1)),
								' L' ORDER BY k) OPERATOR(pg_catalog.||) ' Z' AS path
						  FROM pg_catalog.jsonb_array_elements(shape) WITH ORDINALITY AS rg(ring, i),
							   pg_catalog.jsonb_array_elements(rg.ring) WITH ORDINALITY AS pt(v, k)
						 WHERE (k OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.%)
							   pg_catalog.ceil(pg_catalog.jsonb_array_length(rg.ring) OPERATOR(pg_catalog./) 2000.0)::int
							   OPERATOR(pg_catalog.=) 0
						 GROUP BY rg.i ORDER BY rg.i) r;
				svg := svg OPERATOR(pg_catalog.||) pg_catalog.format(
					'<path class="zone %s" fill-rule="evenodd" d="%s"><title>%s (%s)</title></path>',
					colour, points, hrguard.html(z.name), hrguard.html(z.kind));
			END LOOP;
		END IF;
	END LOOP;

	FOR p IN SELECT x OPERATOR(pg_catalog.->>) 'at' AS at, (x OPERATOR(pg_catalog.->>) 'lat')::float8 AS lat,
					(x OPERATOR(pg_catalog.->>) 'lon')::float8 AS lon, x OPERATOR(pg_catalog.->>) 'verdict' AS verdict,
					x OPERATOR(pg_catalog.->>) 'zone' AS zone, x OPERATOR(pg_catalog.->>) 'check_type' AS check_type
			   FROM pg_catalog.jsonb_array_elements(punches) x LOOP
		svg := svg OPERATOR(pg_catalog.||) pg_catalog.format(
			'<circle class="punch %s" cx="%s" cy="%s" r="3"><title>%s %s: %s%s</title></circle>',
			COALESCE(p.verdict, 'unknown'),
			pg_catalog.round(((p.lon OPERATOR(pg_catalog.-) west) OPERATOR(pg_catalog.*) kx)::numeric, 1),
			pg_catalog.round(((north OPERATOR(pg_catalog.-) p.lat) OPERATOR(pg_catalog.*) ky)::numeric, 1),
			p.at, hrguard.html(p.check_type), hrguard.html(COALESCE(p.verdict, 'no verdict')),
			CASE WHEN p.zone IS NULL THEN '' ELSE ', ' OPERATOR(pg_catalog.||) hrguard.html(p.zone) END);
	END LOOP;
	RETURN pg_catalog.format(
		'<svg xmlns="http://www.w3.org/2000/svg" class="map" width="%s" height="%s" viewBox="0 0 %s %s" role="img">'
		'<title>Punches of %s, %s to %s, against the zones of tenant %s</title>'
		'<rect class="ground" x="0" y="0" width="%s" height="%s"/>%s</svg>'
		'<p class="note">%s punches with a position (the latest 2000 at most); zones (at most 500): office blue, client and project green, '
		'competitor and restricted red; punches: inside green, uncertain orange, outside red.  No map tiles: positions are WGS-84 '
		'on a plane around them, north up (not across the 180th meridian).</p>',
		pg_catalog.ceil((east OPERATOR(pg_catalog.-) west) OPERATOR(pg_catalog.*) kx), pg_catalog.ceil((north OPERATOR(pg_catalog.-) south) OPERATOR(pg_catalog.*) ky),
		pg_catalog.ceil((east OPERATOR(pg_catalog.-) west) OPERATOR(pg_catalog.*) kx), pg_catalog.ceil((north OPERATOR(pg_catalog.-) south) OPERATOR(pg_catalog.*) ky),
		hrguard.html(c.employee_id), pg_catalog.to_char(pg_catalog.timezone($4, $2), 'YYYY-MM-DD'),
		pg_catalog.to_char(pg_catalog.timezone($4, $3), 'YYYY-MM-DD'), hrguard.html(c.tenant_id),
		pg_catalog.ceil((east OPERATOR(pg_catalog.-) west) OPERATOR(pg_catalog.*) kx), pg_catalog.ceil((north OPERATOR(pg_catalog.-) south) OPERATOR(pg_catalog.*) ky),
		svg, shown_punches);
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_report_map(hrguard."case", timestamptz, timestamptz, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_report_map(hrguard."case", timestamptz, timestamptz, text) IS
	'internal: the SVG map of a case report';

CREATE FUNCTION hrguard.case_report(case_id bigint)
	RETURNS text
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET extra_float_digits = 1
	AS $$
DECLARE
	c hrguard."case" := hrguard.case_read($1);
	e hrguard.employee;
	since timestamptz;
	until timestamptz;
	head record;
	rows text;
	alerts text;
	evidence text;
	when_fmt text := 'YYYY-MM-DD HH24:MI';
BEGIN
	SELECT * INTO e FROM hrguard.employee em WHERE em.employee_id OPERATOR(pg_catalog.=) c.employee_id;
	SELECT h.seq, pg_catalog.encode(h.head, 'hex') AS link INTO head
	  FROM hrguard.chain_head h WHERE h.employee_id OPERATOR(pg_catalog.=) ('case:' OPERATOR(pg_catalog.||) c.case_id);
	-- the span: 30 days before the earliest of the opening and the evidence, to the close
	SELECT LEAST(c.opened_at, pg_catalog.min(s.occurred_at)) OPERATOR(pg_catalog.-) '30 days'::pg_catalog.interval
	  INTO since FROM hrguard.case_event s
	 WHERE s.case_id OPERATOR(pg_catalog.=) c.case_id AND s.kind OPERATOR(pg_catalog.=) ANY (ARRAY['evidence', 'alert']);
	until := COALESCE(c.closed_at, pg_catalog.now()) OPERATOR(pg_catalog.+) '1 day'::pg_catalog.interval;

	SELECT pg_catalog.string_agg(pg_catalog.format(
			'<tr class="step %s"><td>%s</td><td>%s</td><td>%s</td><td>%s (%s)</td><td>%s</td><td class="hash" title="%s">%s…</td></tr>',
			hrguard.html(s.kind), s.event_no,
			pg_catalog.to_char(pg_catalog.timezone(e.timezone, s.occurred_at), when_fmt),
			hrguard.html(s.kind), hrguard.html(s.actor), hrguard.html(s.duty),
			hrguard.html(CASE s.kind
				WHEN 'transition' THEN (s.details OPERATOR(pg_catalog.->>) 'from') OPERATOR(pg_catalog.||) ' → '
									   OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'to')
				WHEN 'opened' THEN s.details OPERATOR(pg_catalog.->>) 'reason'
				WHEN 'evidence' THEN (s.details OPERATOR(pg_catalog.->>) 'category') OPERATOR(pg_catalog.||) ': '
									 OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'description')
				WHEN 'alert' THEN 'alert ' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'alert_id')
								  OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'kind')
				WHEN 'interview' THEN (s.details OPERATOR(pg_catalog.->>) 'place') OPERATOR(pg_catalog.||) ': '
									  OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'explanation')
				WHEN 'ground' THEN s.details OPERATOR(pg_catalog.->>) 'ground'
				WHEN 'approval' THEN s.details OPERATOR(pg_catalog.->>) 'outcome'
				WHEN 'notice_to_correct' THEN s.details OPERATOR(pg_catalog.->>) 'required_correction'
				WHEN 'notice_delivered' THEN (s.details OPERATOR(pg_catalog.->>) 'method') OPERATOR(pg_catalog.||)
											 ', deadline ' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'deadline')
				WHEN 'union_notice' THEN s.details OPERATOR(pg_catalog.->>) 'union_name'
				WHEN 'union_reply' THEN CASE WHEN (s.details OPERATOR(pg_catalog.->>) 'objects')::pg_catalog.bool
											 THEN 'objects: ' ELSE 'no objection: ' END
										OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'summary')
				WHEN 'export' THEN 'package from ' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'range_from')
								   OPERATOR(pg_catalog.||) ' to ' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'range_to')
				WHEN 'rebuttal' THEN s.details OPERATOR(pg_catalog.->>) 'summary'
				WHEN 'acknowledgement' THEN s.details OPERATOR(pg_catalog.->>) 'response'
				ELSE s.details::pg_catalog.text END),
			pg_catalog.encode(v.link, 'hex'), pg_catalog.left(pg_catalog.encode(v.link, 'hex'), 16)),
			'' ORDER BY s.event_no)
	  INTO rows
	  FROM hrguard.case_event s
	  JOIN hrguard.evidence v ON v.employee_id OPERATOR(pg_catalog.=) ('case:' OPERATOR(pg_catalog.||) s.case_id)
						   AND v.seq OPERATOR(pg_catalog.=) s.event_no
	 WHERE s.case_id OPERATOR(pg_catalog.=) c.case_id;

	SELECT pg_catalog.string_agg(pg_catalog.format(
			'<div class="alert"><h3>Alert %s: %s (%s), %s</h3><p lang="en">%s</p><p lang="zh-CN">%s</p></div>',
			a.alert_id, hrguard.html(a.kind), hrguard.html(a.severity),
			pg_catalog.to_char(pg_catalog.timezone(e.timezone, a.occurred_at), when_fmt),
			hrguard.html(x OPERATOR(pg_catalog.->>) 'sentence_en'), hrguard.html(x OPERATOR(pg_catalog.->>) 'sentence_zh')),
			'' ORDER BY a.alert_id)
	  INTO alerts
	  FROM hrguard.alert a, hrguard.explain(a.alert_id) x
	 WHERE a.case_id OPERATOR(pg_catalog.=) c.case_id;

	SELECT pg_catalog.string_agg(pg_catalog.format(
			'<li>%s — %s, %s <span class="hash">%s</span></li>',
			hrguard.html(s.details OPERATOR(pg_catalog.->>) 'description'), hrguard.html(s.details OPERATOR(pg_catalog.->>) 'category'),
			hrguard.html(s.details OPERATOR(pg_catalog.->>) 'collection_method'),
			hrguard.html(COALESCE('SHA-256 ' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'document_sha256'),
								  'entry ' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'evidence_seq')
								  OPERATOR(pg_catalog.||) ', link ' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'evidence_link')))),
			'' ORDER BY s.event_no)
	  INTO evidence
	  FROM hrguard.case_event s
	 WHERE s.case_id OPERATOR(pg_catalog.=) c.case_id AND s.kind OPERATOR(pg_catalog.=) 'evidence';

	RETURN pg_catalog.concat(
		'<!DOCTYPE html>', pg_catalog.chr(10),
		'<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><head><meta charset="utf-8"/>',
		'<title>Case ', c.case_id, ' — ', hrguard.html(COALESCE(e.display_name, e.employee_id)), '</title>',
		'<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}',
		'td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;font-size:90%}.hash{font-family:monospace;color:#555}',
		'.ground{fill:#f7f7f2}.zone{fill-opacity:.25;stroke-width:1}.zone.office{fill:#36c;stroke:#36c}',
		'.zone.client{fill:#3a3;stroke:#3a3}.zone.competitor{fill:#d33;stroke:#d33}',
		'.punch{stroke:#000;stroke-width:.5}.punch.inside{fill:#2a2}.punch.uncertain{fill:#f90}.punch.outside{fill:#d22}',
		'.punch.unknown{fill:#999}.note{color:#666;font-size:85%}</style></head><body>',
		'<h1>案件报告 Case report ', c.case_id, '</h1>',
		'<table class="summary">',
		'<tr><th>Employee 员工</th><td id="employee">', hrguard.html(e.employee_id), ' ', hrguard.html(e.display_name),
		' ', hrguard.html(e.team), '</td></tr>',
		'<tr><th>State 状态</th><td id="state">', hrguard.html(c.state), '</td></tr>',
		'<tr><th>Ground 依据</th><td id="ground">', hrguard.html(COALESCE(c.ground, '—')), '</td></tr>',
		'<tr><th>Reason 事由</th><td>', hrguard.html(c.reason), '</td></tr>',
		'<tr><th>Opened 立案</th><td>', pg_catalog.to_char(pg_catalog.timezone(e.timezone, c.opened_at), when_fmt), ' (', hrguard.html(e.timezone), ')</td></tr>',
		'<tr><th>Closed 结案</th><td>', COALESCE(pg_catalog.to_char(pg_catalog.timezone(e.timezone, c.closed_at), when_fmt), '—'), '</td></tr>',
		'<tr><th>Custody chain 处理记录</th><td class="hash" id="custody">case:', c.case_id, ' seq ', head.seq, ' head ', head.link, '</td></tr>',
		'</table>',
		'<h2>Timeline 时间线</h2><table class="timeline"><tr><th>#</th><th>When</th><th>Step</th><th>Actor</th><th>What</th><th>Custody link</th></tr>',
		rows, '</table>',
		'<h2>Map 轨迹</h2>', hrguard.case_report_map(c, since, until, e.timezone),
		'<h2>Alerts 告警</h2>', COALESCE(alerts, '<p class="note">No alert is attached to the case.</p>'),
		'<h2>Evidence 证据</h2><ol class="evidence">', COALESCE(evidence, ''), '</ol>',
		'<p class="note">Made by hrguard ', hrguard.html(hrguard.version()), ' at ',
		pg_catalog.to_char(pg_catalog.timezone('UTC', pg_catalog.now()), 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		'.  Every step is an entry of the custody chain case:', c.case_id,
		'; hrguard.export_case() makes the package hrguard-verify checks offline.</p>',
		'</body></html>', pg_catalog.chr(10));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_report(bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_report(bigint) IS
	'a self-contained HTML page of a case: its timeline and evidence with their hashes, the alerts with their explanations, an SVG map of the punches against the zones';

-- What the page needs and the chains do not hold, stated in a case package
-- (its member "report") so that hrguard-verify --html can draw the same
-- page offline: the employee's name, team and time zone, each attached
-- alert's explanation, and the zones near the employee's punches over the
-- span exported.  Covered by no hash; the page says so.
CREATE FUNCTION hrguard.case_report_context(c hrguard."case", since timestamptz, until timestamptz)
	RETURNS jsonb
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	SET extra_float_digits = 1
	AS $$
SELECT pg_catalog.jsonb_build_object(
	'employee', (SELECT pg_catalog.jsonb_build_object('display_name', e.display_name, 'team', e.team,
													  'timezone', e.timezone)
				   FROM hrguard.employee e WHERE e.employee_id OPERATOR(pg_catalog.=) c.employee_id),
	'explanations', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
										'alert_id', a.alert_id, 'sentence_en', x OPERATOR(pg_catalog.->>) 'sentence_en',
										'sentence_zh', x OPERATOR(pg_catalog.->>) 'sentence_zh') ORDER BY a.alert_id)
								FROM hrguard.alert a, hrguard.explain(a.alert_id) x
							   WHERE a.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
	'zones', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
								'zone_id', z.zone_id, 'name', z.name, 'kind', z.kind, 'geometry', z.shape,
								'center', CASE WHEN z.clat IS NULL THEN NULL ELSE pg_catalog.jsonb_build_array(z.clon, z.clat) END,
								'radius_m', z.radius_m) ORDER BY z.zone_id)
						 FROM (SELECT pg_catalog.min(pu.lat) AS south, pg_catalog.max(pu.lat) AS north,
									  pg_catalog.min(pu.lon) AS west, pg_catalog.max(pu.lon) AS east
								 FROM hrguard.punch pu
								WHERE pu.employee_id OPERATOR(pg_catalog.=) c.employee_id
								  AND pu.punched_at OPERATOR(pg_catalog.>=) since
								  AND pu.punched_at OPERATOR(pg_catalog.<) until
								  AND pu.lat IS NOT NULL AND pu.lon IS NOT NULL) b,
							  hrguard.case_zones(c.tenant_id, b.west OPERATOR(pg_catalog.-) 0.006, b.south OPERATOR(pg_catalog.-) 0.005,
												 b.east OPERATOR(pg_catalog.+) 0.006, b.north OPERATOR(pg_catalog.+) 0.005) z), '[]'))
$$;
REVOKE ALL ON FUNCTION hrguard.case_report_context(hrguard."case", timestamptz, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_report_context(hrguard."case", timestamptz, timestamptz) IS
	'internal: what a case package states for its report (employee, explanations, zones near the punches)';
