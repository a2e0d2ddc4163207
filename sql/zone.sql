-- zone: entering zones in WGS-84, GCJ-02 and BD-09; what is stored; how
-- updates and restores behave; every invalid zone and assignment.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET extra_float_digits = 0;

INSERT INTO hrguard.employee (employee_id, tenant_id, team) VALUES
	('Z1', 'default', 'zone east'), ('Z2', 'default', 'zone west'), ('Z9', 'other', 'zone east');

-- a polygon in WGS-84 is stored as entered (as a multipolygon)
INSERT INTO hrguard.zone (name, kind, geom)
VALUES ('hq', 'office', ST_GeomFromText('POLYGON((121.50 31.23, 121.51 31.23, 121.51 31.24, 121.50 31.24, 121.50 31.23))', 4326));
-- zone ids depend on what the database held before: this file's zones are
-- those from hq's on
SELECT zone_id AS hq FROM hrguard.zone WHERE name = 'hq' \gset
-- the same polygon drawn on an AMap (GCJ-02) map moves about 480 m
INSERT INTO hrguard.zone (name, kind, geom, source_crs)
VALUES ('hq-amap', 'office', ST_GeomFromText('POLYGON((121.50 31.23, 121.51 31.23, 121.51 31.24, 121.50 31.24, 121.50 31.23))', 4326), 'gcj02');
-- a circle geocoded by Baidu (BD-09), with holes and Wi-Fi in other zones
INSERT INTO hrguard.zone (name, kind, center, radius_m, source_crs, bssids)
VALUES ('client-baidu', 'client', ST_SetSRID(ST_MakePoint(121.47, 31.22), 4326), 200, 'bd09',
		'{3C-46-D8-0A-1B-2C, AA:BB:CC:DD:EE:FF}');
INSERT INTO hrguard.zone (name, kind, geom)
VALUES ('ring', 'project', ST_GeomFromText('MULTIPOLYGON(((121.40 31.10, 121.42 31.10, 121.42 31.12, 121.40 31.12, 121.40 31.10),
											 (121.405 31.105, 121.415 31.105, 121.415 31.115, 121.405 31.115, 121.405 31.105)),
											((121.43 31.10, 121.44 31.10, 121.44 31.11, 121.43 31.10)))', 4326));

SELECT name, kind, source_crs, GeometryType(geom) AS type,
	   ST_AsText(coalesce(geom, center), 7) AS wgs84,
	   ST_AsText(coalesce(raw_geom, raw_center)) AS as_entered, radius_m, bssids
  FROM hrguard.zone WHERE zone_id >= :hq ORDER BY zone_id;

-- the GCJ-02 polygon's corner really is the GCJ-02 point converted
SELECT round(ST_Y(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1))::numeric, 9) =
	   round((hrguard.gcj02_to_wgs84(31.23, 121.50)).lat::numeric, 9) AS corner_converted
  FROM hrguard.zone WHERE name = 'hq-amap';

-- an update of other columns leaves the shape alone
UPDATE hrguard.zone SET name = 'hq-amap-2' WHERE name = 'hq-amap';
SELECT ST_AsText(geom, 7) FROM hrguard.zone WHERE name = 'hq-amap-2';
-- changing the datum reinterprets the shape as entered
UPDATE hrguard.zone SET source_crs = 'wgs84' WHERE name = 'hq-amap-2';
SELECT ST_AsText(geom) FROM hrguard.zone WHERE name = 'hq-amap-2';
-- writing geom means a new shape in the zone's datum
UPDATE hrguard.zone SET source_crs = 'gcj02',
	geom = ST_GeomFromText('POLYGON((121.60 31.23, 121.61 31.23, 121.61 31.24, 121.60 31.23))', 4326)
 WHERE name = 'hq-amap-2';
SELECT ST_AsText(raw_geom) AS as_entered, ST_AsText(geom, 7) AS wgs84
  FROM hrguard.zone WHERE name = 'hq-amap-2';
-- a row restored from a dump (raw and derived columns both given) keeps
-- the shape derived from the raw columns
INSERT INTO hrguard.zone (name, kind, source_crs, raw_geom, geom)
SELECT 'restored', kind, source_crs, raw_geom, geom FROM hrguard.zone WHERE name = 'hq-amap-2';
SELECT count(DISTINCT ST_AsEWKB(geom)) AS same_shape
  FROM hrguard.zone WHERE name IN ('hq-amap-2', 'restored');

-- invalid zones, one statement each, each followed by its SQLSTATE
INSERT INTO hrguard.zone (name, kind, geom) VALUES ('bowtie', 'office', ST_GeomFromText('POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))', 4326));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, geom) VALUES ('empty', 'office', ST_GeomFromText('POLYGON EMPTY', 4326));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, geom) VALUES ('mercator', 'office', ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 0))', 3857));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, geom) VALUES ('no srid', 'office', ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))'));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, geom) VALUES ('line', 'office', ST_GeomFromText('LINESTRING(0 0, 1 1)', 4326));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, geom) VALUES ('far', 'office', ST_GeomFromText('POLYGON((179 0, 181 0, 181 1, 179 0))', 4326));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind) VALUES ('nothing', 'office');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, geom, center, radius_m) VALUES ('both', 'office', ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))', 4326), ST_SetSRID(ST_MakePoint(0, 0), 4326), 10);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, geom, radius_m) VALUES ('poly radius', 'office', ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))', 4326), 10);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center) VALUES ('no radius', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('zero', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 0);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('negative', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), -5);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('huge', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 50001);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('nan', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 'NaN');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('polygon center', 'office', ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))', 4326), 10);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('empty center', 'office', ST_GeomFromText('POINT EMPTY', 4326), 10);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('swapped', 'office', ST_SetSRID(ST_MakePoint(31.2, 121.4), 4326), 10);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m, source_crs) VALUES ('datum', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 10, 'GCJ-02');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('kind', 'warehouse', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 10);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES (' ', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 10);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m, bssids) VALUES ('wifi', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 10, '{not-a-bssid}');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m, bssids) VALUES ('wifi null', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 10, '{NULL}');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m, valid) VALUES ('never', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 10, 'empty');
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.zone SET radius_m = 0 WHERE name = 'client-baidu';
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS zones_after_errors FROM hrguard.zone WHERE zone_id >= :hq;

-- assignments
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('rival', 'competitor', ST_SetSRID(ST_MakePoint(121.45, 31.21), 4326), 150);
INSERT INTO hrguard.zone_assignment (zone_id, team) SELECT zone_id, 'zone east' FROM hrguard.zone WHERE name = 'hq';
INSERT INTO hrguard.zone_assignment (zone_id, employee_id) SELECT zone_id, 'Z2' FROM hrguard.zone WHERE name = 'client-baidu';
INSERT INTO hrguard.zone_assignment (zone_id) SELECT zone_id FROM hrguard.zone WHERE name = 'ring';
-- (these two errors name a zone by its id, which is compared, not shown)
\set VERBOSITY sqlstate
INSERT INTO hrguard.zone_assignment (zone_id, team) SELECT zone_id, 'zone east' FROM hrguard.zone WHERE name = 'rival';
\echo :LAST_ERROR_SQLSTATE
SELECT :'LAST_ERROR_MESSAGE' = format('zone %s is a competitor zone and cannot be assigned', zone_id) AS names_rival
  FROM hrguard.zone WHERE name = 'rival';
INSERT INTO hrguard.zone_assignment (zone_id, employee_id) SELECT zone_id, 'Z9' FROM hrguard.zone WHERE name = 'hq';
\echo :LAST_ERROR_SQLSTATE
SELECT :'LAST_ERROR_MESSAGE' = format('employee Z9 and zone %s belong to different tenants', :hq) AS names_hq;
\set VERBOSITY terse
INSERT INTO hrguard.zone_assignment (zone_id, employee_id, team) SELECT zone_id, 'Z1', 'zone east' FROM hrguard.zone WHERE name = 'hq';
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone_assignment (zone_id, team) SELECT zone_id, 'zone east' FROM hrguard.zone WHERE name = 'hq';
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone_assignment (zone_id) SELECT zone_id FROM hrguard.zone WHERE name = 'ring';
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone_assignment (zone_id, employee_id) VALUES (999999, 'Z1');
\echo :LAST_ERROR_SQLSTATE

-- who may be where (boundary counts as inside; holes are outside)
SELECT e AS employee, place, c.verdict, c.zone_name, c.watched_zone_name, c.watched_verdict
  FROM (VALUES ('Z1'), ('Z2')) AS emps(e),
	   (VALUES ('hq middle', 31.235, 121.505), ('hq corner', 31.23, 121.50),
			   ('ring hole', 31.11, 121.41), ('ring body', 31.102, 121.41),
			   ('rival', 31.21, 121.45), ('nowhere', 30.0, 120.0)) AS p(place, lat, lon),
	   LATERAL hrguard.classify_point(e, '2026-11-23 10:00+08', p.lat, p.lon) c
 ORDER BY 1, 2;

-- a zone added in this transaction is used at once; rolled back, it is gone
BEGIN;
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('pop-up', 'office', ST_SetSRID(ST_MakePoint(120.0, 30.0), 4326), 100);
INSERT INTO hrguard.zone_assignment (zone_id) SELECT zone_id FROM hrguard.zone WHERE name = 'pop-up';
SELECT verdict, zone_name FROM hrguard.classify_point('Z1', '2026-11-23 10:00+08', 30.0, 120.0);
ROLLBACK;
SELECT verdict, zone_name FROM hrguard.classify_point('Z1', '2026-11-23 10:00+08', 30.0, 120.0);

-- accuracy: inside, uncertain or outside depending on distance to the edge
SELECT acc, hrguard.zone_locate(z.zone_id, 31.2301, 121.505, acc) AS near_south_edge,
	   round(hrguard.zone_distance(z.zone_id, 31.2301, 121.505)::numeric, 1) AS metres_inside
  FROM hrguard.zone z, (VALUES (0), (5), (11), (12), (50)) a(acc)
 WHERE z.name = 'hq' ORDER BY acc;

-- errors of the lookup functions
SELECT hrguard.zone_locate(999999, 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.zone_locate(:hq, 31.2, 121.4, -1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.classify_point('nobody', '2026-11-23 10:00+08', 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.classify_point('Z1', 'infinity', 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.classify_point('Z1', '2026-11-23 10:00+08', 'NaN', 121.4);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.classify_point('Z1', '2026-11-23 10:00+08', 31.2, 121.4, 0, 'utm');
\echo :LAST_ERROR_SQLSTATE

-- circles across the 180th meridian and around the poles: each point as
-- far from the centre as the geodesic distance says, on whichever side of
-- the meridian it is, whatever the longitude near a pole
INSERT INTO hrguard.employee (employee_id, tenant_id) VALUES ('Z-EDGE', 'edge');
INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m) VALUES
	('edge', 'dateline', 'office', ST_SetSRID(ST_MakePoint(-179.99, 0), 4326), 5000),
	('edge', 'north', 'office', ST_SetSRID(ST_MakePoint(0, 89.99), 4326), 5000),
	('edge', 'south', 'office', ST_SetSRID(ST_MakePoint(45, -89.995), 4326), 3000);
INSERT INTO hrguard.zone_assignment (zone_id) SELECT zone_id FROM hrguard.zone WHERE tenant_id = 'edge';
SELECT p.lat, p.lon, c.verdict, c.zone_name,
	   c.verdict = CASE WHEN ST_Distance(z.center::geography, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography)
							 <= z.radius_m THEN 'inside' ELSE 'outside' END AS as_postgis
  FROM (VALUES (0::float8, 179.995::float8), (0, 179.96), (0, -179.98), (0.02, 180), (0, -180),
			   (89.995, 90), (89.995, -170), (89.999, 179.9), (89.9, 0),
			   (-89.999, -135), (-89.99, 45), (-89.97, 45)) p(lat, lon)
	   CROSS JOIN LATERAL hrguard.classify_point('Z-EDGE', '2026-11-23 10:00+08', p.lat, p.lon) c
	   JOIN hrguard.zone z ON z.tenant_id = 'edge'
						  AND z.name = CASE WHEN p.lat > 80 THEN 'north' WHEN p.lat < -80 THEN 'south' ELSE 'dateline' END
 ORDER BY p.lat, p.lon;

-- large circles away from the equator, points a few metres either side
-- of the rim all round: the verdict is PostGIS's on the spheroid
INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m) VALUES
	('edge', 'big31', 'office', ST_SetSRID(ST_MakePoint(121, 31), 4326), 50000),
	('edge', 'big70', 'office', ST_SetSRID(ST_MakePoint(20, 70), 4326), 30000),
	('edge', 'big-65', 'office', ST_SetSRID(ST_MakePoint(-70, -65), 4326), 50000),
	('edge', 'date60', 'office', ST_SetSRID(ST_MakePoint(179.9, 60), 4326), 40000);
INSERT INTO hrguard.zone_assignment (zone_id)
SELECT zone_id FROM hrguard.zone WHERE tenant_id = 'edge' AND name IN ('big31', 'big70', 'big-65', 'date60');
SELECT z.name, count(*) AS points,
	   count(*) FILTER (WHERE (c.verdict = 'inside') <> ST_DWithin(z.center::geography,
			ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography, z.radius_m)) AS not_as_postgis
  FROM hrguard.zone z,
	   generate_series(0, 355, 5) b, (VALUES (-40), (-15), (-3), (3), (15), (40)) o(off),
	   LATERAL (SELECT ST_Y(g::geometry) AS lat, ST_X(g::geometry) AS lon
				  FROM ST_Project(z.center::geography, z.radius_m + o.off, radians(b)) g) p,
	   LATERAL hrguard.classify_point('Z-EDGE', '2026-11-23 10:00+08', p.lat, p.lon) c
 WHERE z.tenant_id = 'edge' AND z.name IN ('big31', 'big70', 'big-65', 'date60')
 GROUP BY z.name ORDER BY z.name;

DELETE FROM hrguard.zone_assignment WHERE zone_id IN (SELECT zone_id FROM hrguard.zone WHERE tenant_id = 'edge');
DELETE FROM hrguard.zone WHERE tenant_id = 'edge';
DELETE FROM hrguard.zone WHERE zone_id >= :hq;
DELETE FROM hrguard.employee WHERE employee_id IN ('Z1', 'Z2', 'Z9', 'Z-EDGE');
