-- datum.sql -- coordinate conversion between China's datums (datum.c, geo.c).

CREATE FUNCTION hrguard.wgs84_to_gcj02(lat float8, lon float8,
		OUT lat float8, OUT lon float8)
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_wgs84_to_gcj02_sql';
COMMENT ON FUNCTION hrguard.wgs84_to_gcj02(float8, float8) IS
	'WGS-84 to GCJ-02 (the public formula); points outside China pass unchanged';

CREATE FUNCTION hrguard.gcj02_to_wgs84(lat float8, lon float8,
		OUT lat float8, OUT lon float8)
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_gcj02_to_wgs84_sql';
COMMENT ON FUNCTION hrguard.gcj02_to_wgs84(float8, float8) IS
	'GCJ-02 to WGS-84 by iterative inverse (round trip well under 1 cm); points outside China pass unchanged';

CREATE FUNCTION hrguard.gcj02_to_bd09(lat float8, lon float8,
		OUT lat float8, OUT lon float8)
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_gcj02_to_bd09_sql';
COMMENT ON FUNCTION hrguard.gcj02_to_bd09(float8, float8) IS
	'GCJ-02 to BD-09 (Baidu)';

CREATE FUNCTION hrguard.bd09_to_gcj02(lat float8, lon float8,
		OUT lat float8, OUT lon float8)
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_bd09_to_gcj02_sql';
COMMENT ON FUNCTION hrguard.bd09_to_gcj02(float8, float8) IS
	'BD-09 (Baidu) to GCJ-02, exact inverse of gcj02_to_bd09';

CREATE FUNCTION hrguard.to_wgs84(lat float8, lon float8, datum text,
		OUT lat float8, OUT lon float8)
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_to_wgs84_sql';
COMMENT ON FUNCTION hrguard.to_wgs84(float8, float8, text) IS
	'coordinates in the named datum (wgs84, gcj02 or bd09) converted to WGS-84';

CREATE FUNCTION hrguard.geodesic_distance(lat1 float8, lon1 float8,
		lat2 float8, lon2 float8)
	RETURNS float8
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_geodesic_distance';
COMMENT ON FUNCTION hrguard.geodesic_distance(float8, float8, float8, float8) IS
	'distance in metres between two WGS-84 points on the ellipsoid';
