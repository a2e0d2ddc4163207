-- zone_differential: hrguard's point location against PostGIS on the same
-- doubles.  Polygon verdicts (accuracy 0) must equal ST_Covers exactly;
-- circle verdicts must equal ST_DWithin on geography (spheroid) except
-- within 0.5 m of the rim.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SELECT setseed(0.4242);

-- 140 zones around Shanghai: concave stars, stars with holes, two-part
-- multipolygons, tiny squares, stars a few kilometres wide, and circles
CREATE TEMP TABLE shape_spec AS
SELECT g AS n,
	   CASE WHEN g <= 30 THEN 'star' WHEN g <= 50 THEN 'holed' WHEN g <= 70 THEN 'multi'
			WHEN g <= 85 THEN 'tiny' WHEN g <= 100 THEN 'wide' ELSE 'circle' END AS form,
	   121.2 + random() * 0.6 AS cx,
	   31.0 + random() * 0.4 AS cy,
	   5 + floor(random() * 12)::int AS spikes
  FROM generate_series(1, 140) g;

CREATE FUNCTION pg_temp.star(cx float8, cy float8, r float8, spikes int, phase float8)
RETURNS geometry LANGUAGE sql AS $$
	SELECT ST_MakePolygon(ST_MakeLine(array_agg(ST_MakePoint(
			cx + (CASE WHEN j % 2 = 0 THEN r ELSE r * 0.45 END) * cos(phase + j * pi() / spikes),
			cy + (CASE WHEN j % 2 = 0 THEN r ELSE r * 0.45 END) * sin(phase + j * pi() / spikes) * 0.85)
		ORDER BY i)))
	  FROM generate_series(0, 2 * spikes) i, LATERAL (SELECT i % (2 * spikes)) k(j)
$$;

INSERT INTO hrguard.zone (name, kind, geom, center, radius_m)
SELECT 'diff-' || n || '-' || form, 'office',
	   CASE form
		 WHEN 'star' THEN ST_SetSRID(pg_temp.star(cx, cy, 0.002, spikes, n), 4326)
		 WHEN 'holed' THEN ST_SetSRID(ST_MakePolygon(ST_ExteriorRing(pg_temp.star(cx, cy, 0.003, spikes, n)),
					ARRAY[ST_Reverse(ST_ExteriorRing(pg_temp.star(cx, cy, 0.0006, 4, n)))]), 4326)
		 WHEN 'multi' THEN ST_SetSRID(ST_Collect(pg_temp.star(cx, cy, 0.0015, spikes, n),
					pg_temp.star(cx + 0.005, cy + 0.001, 0.001, 5, n)), 4326)
		 WHEN 'tiny' THEN ST_SetSRID(ST_MakeEnvelope(cx, cy, cx + 0.00005, cy + 0.00004), 4326)
		 WHEN 'wide' THEN ST_SetSRID(pg_temp.star(cx, cy, 0.03, spikes, n), 4326)
	   END,
	   CASE WHEN form = 'circle' THEN ST_SetSRID(ST_MakePoint(cx, cy), 4326) END,
	   CASE WHEN form = 'circle' THEN 20 + random() * 3000 END
  FROM shape_spec ORDER BY n;
SELECT count(*) AS zones, count(*) FILTER (WHERE geom IS NOT NULL) AS polygon_zones,
	   count(*) FILTER (WHERE ST_NumInteriorRings(ST_GeometryN(geom, 1)) > 0) AS with_holes,
	   count(*) FILTER (WHERE ST_NumGeometries(geom) > 1) AS multipart
  FROM hrguard.zone WHERE name LIKE 'diff-%';

-- points: random around each polygon, every vertex, points on and just
-- off edges, hole centres, centroids
CREATE TEMP TABLE probe AS
WITH z AS (SELECT zone_id, geom FROM hrguard.zone WHERE name LIKE 'diff-%' AND geom IS NOT NULL),
	 verts AS (SELECT zone_id, (ST_DumpPoints(geom)).geom AS p FROM z),
	 segs AS (SELECT zone_id, ST_PointN(s.geom, 1) AS a, ST_PointN(s.geom, 2) AS b
				FROM z, LATERAL ST_DumpSegments(z.geom) s)
SELECT zone_id, 'random' AS what, ST_X(p) AS lon, ST_Y(p) AS lat
  FROM z, LATERAL (SELECT ST_MakePoint(ST_XMin(z.geom) + (random() * 1.4 - 0.2) * (ST_XMax(z.geom) - ST_XMin(z.geom)),
									   ST_YMin(z.geom) + (random() * 1.4 - 0.2) * (ST_YMax(z.geom) - ST_YMin(z.geom))) AS p
					 FROM generate_series(1, 60)) r
UNION ALL
SELECT zone_id, 'vertex', ST_X(p), ST_Y(p) FROM verts
UNION ALL
SELECT zone_id, 'edge', ST_X(a) + t * (ST_X(b) - ST_X(a)), ST_Y(a) + t * (ST_Y(b) - ST_Y(a))
  FROM segs, LATERAL (VALUES (0.5), (0.25)) v(t)
UNION ALL
SELECT zone_id, 'near edge', ST_X(a) + 0.5 * (ST_X(b) - ST_X(a)) + d * (ST_Y(b) - ST_Y(a)),
	   ST_Y(a) + 0.5 * (ST_Y(b) - ST_Y(a)) - d * (ST_X(b) - ST_X(a))
  FROM segs, LATERAL (VALUES (1e-6), (-1e-6), (1e-9), (-1e-9)) v(d)
UNION ALL
SELECT zone_id, 'hole', ST_X(c), ST_Y(c)
  FROM z, LATERAL (SELECT ST_Centroid(ST_MakePolygon(ST_InteriorRingN(ST_GeometryN(z.geom, 1), 1))) AS c) h
 WHERE ST_NumInteriorRings(ST_GeometryN(z.geom, 1)) > 0
UNION ALL
SELECT zone_id, 'centroid', ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM z;

SELECT count(*) >= 10000 AS at_least_10000_polygon_probes FROM probe;
SELECT what, count(*) > 0 AS present FROM probe GROUP BY what ORDER BY what;

-- every polygon verdict equals ST_Covers
SELECT p.what,
	   count(*) FILTER (WHERE (hrguard.zone_locate(p.zone_id, p.lat, p.lon) = 'inside')
						IS DISTINCT FROM ST_Covers(z.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)))
		 AS mismatches,
	   count(*) FILTER (WHERE ST_Covers(z.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))) > 0 AS some_covered,
	   count(*) FILTER (WHERE NOT ST_Covers(z.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))) > 0 AS some_not
  FROM probe p JOIN hrguard.zone z USING (zone_id)
 GROUP BY p.what ORDER BY p.what;

-- circles: points at random bearings from 0 to 2 radii, many near the rim
CREATE TEMP TABLE circle_probe AS
SELECT z.zone_id, z.center, z.radius_m,
	   ST_Project(z.center::geography,
				  z.radius_m * CASE WHEN k % 2 = 0 THEN random() * 2 ELSE 1 + (random() - 0.5) * 0.002 END,
				  random() * 2 * pi())::geometry AS p
  FROM hrguard.zone z, generate_series(1, 80) k
 WHERE z.name LIKE 'diff-%' AND z.center IS NOT NULL;
SELECT count(*) AS circle_probes,
	   count(*) FILTER (WHERE abs(ST_Distance(center::geography, p::geography) - radius_m) <= 0.5) > 0
		 AS some_within_half_metre_of_rim
  FROM circle_probe;
SELECT count(*) FILTER (WHERE (hrguard.zone_locate(zone_id, ST_Y(p), ST_X(p)) = 'inside')
						IS DISTINCT FROM ST_DWithin(center::geography, p::geography, radius_m))
		 AS circle_mismatches_beyond_half_metre
  FROM circle_probe
 WHERE abs(ST_Distance(center::geography, p::geography) - radius_m) > 0.5;

-- the signed distance agrees with PostGIS's geography distance to the edge
SELECT max(abs(abs(hrguard.zone_distance(zone_id, ST_Y(p), ST_X(p)))
			   - abs(ST_Distance(center::geography, p::geography) - radius_m))) < 0.01
		 AS circle_distance_within_1cm
  FROM circle_probe;
-- (PostGIS measures in UTM zone 51N, exact here to about 2e-4; its
-- geography point-to-edge distance is itself approximate, by up to 0.2 %)
SELECT count(*) FILTER (WHERE abs(abs(hrguard.zone_distance(p.zone_id, p.lat, p.lon)) - d.utm)
						> 0.001 * d.utm + 0.1) AS polygon_distance_off_by_more_than_1e3
  FROM probe p JOIN hrguard.zone z USING (zone_id),
	   LATERAL (SELECT ST_Distance(ST_Transform(ST_Boundary(z.geom), 32651),
								   ST_Transform(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), 32651)) AS utm) d
 WHERE p.what = 'random';

-- the nearest allowed zone of a point outside every zone (what an
-- outside_zone alert names) is the one a search through every zone finds:
-- the greatest signed distance, if within 5 km
INSERT INTO hrguard.employee (employee_id, team) VALUES ('DZ', 'diff');
INSERT INTO hrguard.zone_assignment (zone_id, team)
SELECT zone_id, 'diff' FROM hrguard.zone WHERE name LIKE 'diff-%';
CREATE TEMP TABLE far_probe AS
SELECT g, 121.1 + random() * 0.8 AS lon, 30.9 + random() * 0.6 AS lat FROM generate_series(1, 400) g;
CREATE TEMP TABLE nearest AS
SELECT f.g, c.verdict, c.zone_id, c.zone_distance_m, b.zone_id AS brute_zone_id, b.d AS brute_distance_m
  FROM far_probe f,
	   LATERAL hrguard.classify_point('DZ', '2026-11-23 10:00+08', f.lat, f.lon) c,
	   LATERAL (SELECT z.zone_id, hrguard.zone_distance(z.zone_id, f.lat, f.lon) AS d
				  FROM hrguard.zone z WHERE z.name LIKE 'diff-%'
				 ORDER BY 2 DESC LIMIT 1) b;
SELECT count(*) FILTER (WHERE brute_distance_m >= -5000) AS with_a_zone_within_5_km,
	   count(*) FILTER (WHERE brute_distance_m < -5000) AS with_none,
	   count(*) FILTER (WHERE zone_id IS DISTINCT FROM
							  CASE WHEN brute_distance_m >= -5000 THEN brute_zone_id END
						   OR abs(coalesce(zone_distance_m, 0) -
								  CASE WHEN brute_distance_m >= -5000 THEN brute_distance_m ELSE 0 END) > 1e-6)
		 AS differing
  FROM nearest WHERE verdict = 'outside';
DELETE FROM hrguard.zone_assignment WHERE team = 'diff';
DELETE FROM hrguard.employee WHERE employee_id = 'DZ';

DELETE FROM hrguard.zone WHERE name LIKE 'diff-%';
