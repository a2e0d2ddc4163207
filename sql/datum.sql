-- datum: WGS-84 / GCJ-02 / BD-09 conversion, against a public implementation
-- of the same algorithm (gcoord 1.0.7 from the npm registry; vectors made by
-- test/scripts/gen-datum-vectors.mjs) and against fixed city vectors.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET extra_float_digits = 0;
\getenv abs_srcdir PG_ABS_SRCDIR
\set vectors :abs_srcdir '/test/fixtures/datum_vectors.csv'

CREATE TEMP TABLE v (id int, wgs_lat float8, wgs_lon float8, gcj_lat float8, gcj_lon float8,
	gcj_inv_lat float8, gcj_inv_lon float8, bd_lat float8, bd_lon float8,
	bd_inv_lat float8, bd_inv_lon float8);
COPY v FROM :'vectors' (FORMAT csv, HEADER true);
SELECT count(*) AS vectors,
	   count(*) FILTER (WHERE wgs_lat <> gcj_lat) AS inside_china
  FROM v;

CREATE TEMP TABLE r AS
SELECT v.*,
	   f.lat AS f_lat, f.lon AS f_lon,			-- our WGS-84 -> GCJ-02
	   i.lat AS i_lat, i.lon AS i_lon,			-- our GCJ-02 -> WGS-84 of gcoord's GCJ-02
	   b.lat AS b_lat, b.lon AS b_lon,			-- our GCJ-02 -> BD-09 of gcoord's GCJ-02
	   bi.lat AS bi_lat, bi.lon AS bi_lon		-- our BD-09 -> GCJ-02 of gcoord's BD-09
  FROM v,
	   LATERAL hrguard.wgs84_to_gcj02(v.wgs_lat, v.wgs_lon) f,
	   LATERAL hrguard.gcj02_to_wgs84(v.gcj_lat, v.gcj_lon) i,
	   LATERAL hrguard.gcj02_to_bd09(v.gcj_lat, v.gcj_lon) b,
	   LATERAL hrguard.bd09_to_gcj02(v.bd_lat, v.bd_lon) bi;

-- forward transforms agree with the public implementation to 1e-9 degrees
SELECT count(*) FILTER (WHERE abs(f_lat - gcj_lat) > 1e-9 OR abs(f_lon - gcj_lon) > 1e-9) AS gcj_forward_mismatches,
	   count(*) FILTER (WHERE abs(b_lat - bd_lat) > 1e-9 OR abs(b_lon - bd_lon) > 1e-9) AS bd_forward_mismatches
  FROM r;

-- the iterative inverse returns the original WGS-84 point: round trip < 1 cm
SELECT max(hrguard.geodesic_distance(i_lat, i_lon, wgs_lat, wgs_lon)) < 0.01 AS gcj_round_trip_under_1cm,
	   max(hrguard.geodesic_distance(bi_lat, bi_lon, gcj_lat, gcj_lon)) < 0.01 AS bd_round_trip_under_1cm
  FROM r;

-- gcoord stops its inverse at 1e-6 degrees; ours is within that of it
SELECT count(*) FILTER (WHERE hrguard.geodesic_distance(i_lat, i_lon, gcj_inv_lat, gcj_inv_lon) > 0.5)
	   AS gcj_inverse_over_half_metre_from_gcoord
  FROM r;

-- gcoord's BD-09 inverse is the closed-form approximation; ours is exact,
-- and the two stay within a few metres of each other
SELECT max(hrguard.geodesic_distance(bi_lat, bi_lon, bd_inv_lat, bd_inv_lon)) < 5 AS bd_inverse_within_5m_of_gcoord
  FROM r;

-- outside China's box coordinates pass unchanged, both ways
SELECT count(*) AS outside_points,
	   count(*) FILTER (WHERE f_lat = wgs_lat AND f_lon = wgs_lon
						AND i_lat = gcj_lat AND i_lon = gcj_lon) AS unchanged
  FROM r WHERE wgs_lat = gcj_lat AND wgs_lon = gcj_lon;

-- fixed vectors: offsets at city centres, in metres
SELECT city,
	   round(hrguard.geodesic_distance(c.clat, c.clon, g.lat, g.lon)::numeric, 1) AS gcj_offset_m,
	   round(hrguard.geodesic_distance(c.clat, c.clon, b.lat, b.lon)::numeric, 1) AS bd_offset_m,
	   round(g.lat::numeric, 7) AS gcj_lat, round(g.lon::numeric, 7) AS gcj_lon
  FROM (VALUES ('Shanghai Lujiazui', 31.2397, 121.4998),
			   ('Beijing Tiananmen', 39.9087, 116.3975),
			   ('Shenzhen Nanshan', 22.5333, 113.9304),
			   ('Hong Kong Central', 22.2819, 114.1582),
			   ('Taipei 101', 25.0339, 121.5645),
			   ('Tokyo Station', 35.6812, 139.7671),
			   ('London', 51.5072, -0.1276)) AS c(city, clat, clon),
	   LATERAL hrguard.wgs84_to_gcj02(c.clat, c.clon) g,
	   LATERAL hrguard.gcj02_to_bd09(g.lat, g.lon) b
 ORDER BY city;

SELECT round(lat::numeric, 7) AS lat, round(lon::numeric, 7) AS lon
  FROM hrguard.to_wgs84(31.2397, 121.4998, 'wgs84');
SELECT round(lat::numeric, 7) AS lat, round(lon::numeric, 7) AS lon
  FROM hrguard.to_wgs84(31.2376, 121.5043, 'gcj02');
SELECT round(lat::numeric, 7) AS lat, round(lon::numeric, 7) AS lon
  FROM hrguard.to_wgs84(31.2434, 121.5108, 'bd09');

-- geodesic distance: one degree of latitude at the equator and at 45 N
SELECT round(hrguard.geodesic_distance(0, 0, 1, 0)::numeric, 3) AS equator_degree_m,
	   round(hrguard.geodesic_distance(44.5, 10, 45.5, 10)::numeric, 3) AS mid_latitude_degree_m,
	   hrguard.geodesic_distance(31, 121, 31, 121) AS same_point;

-- bad input, one statement each, each followed by its SQLSTATE
SELECT * FROM hrguard.gcj02_to_wgs84('NaN', 121.5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.gcj02_to_wgs84(31.2, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.wgs84_to_gcj02(91, 121.5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.wgs84_to_gcj02(121.5, 31.2);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.bd09_to_gcj02(31.2, 181);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.to_wgs84(31.2, 121.5, 'WGS84');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.to_wgs84(31.2, 121.5, 'mars');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.geodesic_distance(31, 121, -91, 0);
\echo :LAST_ERROR_SQLSTATE
-- NULL in, NULL out
SELECT * FROM hrguard.gcj02_to_wgs84(NULL, 121.5);
