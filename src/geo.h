/*-------------------------------------------------------------------------
 *
 * geo.h
 *	  Geodesy for hrguard: China datums, distances on the WGS-84
 *	  ellipsoid, and point location against zones (polygons and circles).
 *
 * All coordinates are degrees, longitude first inside shapes (x = lon,
 * y = lat), as in WKB and PostGIS.  Distances are metres.
 *
 * IDENTIFICATION
 *	  src/geo.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_GEO_H
#define HRGUARD_GEO_H

/* the largest circle radius a zone may have, in metres */
#define HRGUARD_MAX_RADIUS_M	50000.0
/* an accuracy radius above half the Earth's circumference means nothing */
#define HRGUARD_MAX_ACCURACY_M	20000000.0

typedef enum HrguardDatum
{
	HRGUARD_DATUM_WGS84,
	HRGUARD_DATUM_GCJ02,
	HRGUARD_DATUM_BD09
} HrguardDatum;

typedef struct HrguardXY
{
	double		x;				/* longitude */
	double		y;				/* latitude */
} HrguardXY;

typedef struct HrguardRing
{
	int			npoints;		/* closed: first point repeated last */
	HrguardXY  *points;
} HrguardRing;

typedef struct HrguardPolygon
{
	int			nrings;			/* ring 0 is the shell, the rest holes */
	HrguardRing *rings;
} HrguardPolygon;

/*
 * A zone's shape: a multipolygon or a circle.  The bounding box is in
 * degrees; the metre scales belong to the local frame used for distances.
 */
typedef struct HrguardShape
{
	bool		is_circle;
	HrguardXY	center;			/* circle only */
	double		radius_m;		/* circle only */
	int			npolygons;		/* multipolygon only */
	HrguardPolygon *polygons;
	int			nvertices;		/* total, for memory accounting */
	double		xmin,
				ymin,
				xmax,
				ymax;
	double		m_per_deg_x;	/* metres per degree of longitude at ref_lat */
	double		m_per_deg_y;	/* metres per degree of latitude at ref_lat */
	double		plane_error;	/* circle only: the plane's relative error per metre from the centre */
} HrguardShape;

/* three-valued location of a point with a known accuracy */
typedef enum HrguardLocation
{
	HRGUARD_OUTSIDE = -1,
	HRGUARD_UNCERTAIN = 0,
	HRGUARD_INSIDE = 1
} HrguardLocation;

/* datums */
extern bool hrguard_datum_from_name(const char *name, HrguardDatum *datum);
extern const char *hrguard_datum_name(HrguardDatum datum);
extern bool hrguard_in_china_bbox(double lat, double lon);
extern void hrguard_wgs84_to_gcj02(double lat, double lon, double *out_lat, double *out_lon);
extern void hrguard_gcj02_to_wgs84(double lat, double lon, double *out_lat, double *out_lon);
extern void hrguard_gcj02_to_bd09(double lat, double lon, double *out_lat, double *out_lon);
extern void hrguard_bd09_to_gcj02(double lat, double lon, double *out_lat, double *out_lon);
extern void hrguard_to_wgs84(HrguardDatum datum, double lat, double lon,
							 double *out_lat, double *out_lon);

/* distances */
extern double hrguard_haversine_m(double lat1, double lon1, double lat2, double lon2);
extern double hrguard_geodesic_m(double lat1, double lon1, double lat2, double lon2);
extern void hrguard_metres_per_degree(double lat, double *per_deg_lon, double *per_deg_lat);

/* shapes */
extern void hrguard_shape_finish(HrguardShape *shape);
extern int	hrguard_point_in_polygons(const HrguardShape *shape, double lon, double lat);
extern double hrguard_shape_distance_lower_bound(const HrguardShape *shape, double lon,
											   double lat);
extern HrguardLocation hrguard_shape_locate(const HrguardShape *shape,
											double lon, double lat,
											double accuracy_m,
											double *signed_distance_m);
extern void hrguard_degree_margin(double lat, double metres,
								  double *dlon, double *dlat);
extern double hrguard_lon_difference(double lon, double from);
extern double hrguard_lon_gap(const HrguardShape *shape, double lon);

#endif							/* HRGUARD_GEO_H */
