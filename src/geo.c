/*-------------------------------------------------------------------------
 *
 * geo.c
 *	  Geodesy for hrguard: China datums, distances on the WGS-84
 *	  ellipsoid, and point location against zones.
 *
 * China's GCJ-02 datum is WGS-84 plus a smooth, published obfuscation
 * offset of 300-600 m inside a bounding box around China; BD-09 (Baidu) adds
 * a further small polar twist to GCJ-02.  The forward transforms are closed
 * formulas; their inverses are found by fixed-point iteration, which
 * converges to far below a millimetre in a few steps because the offsets
 * change slowly with position.
 *
 * Point-in-polygon is a winding-number test in degrees, with points on an
 * edge or vertex counted as inside: the same arithmetic as PostGIS's
 * ST_Covers for a point, so both give the same verdict on the same doubles.
 * Distances to zone edges (used only against a punch's reported accuracy)
 * are measured in a local planar frame scaled to metres at the zone's
 * latitude; circles use the exact geodesic distance near their rim.
 *
 * IDENTIFICATION
 *	  src/geo.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "geo.h"

/* Krasovsky 1940 ellipsoid, as used by the GCJ-02 formula */
#define GCJ_A			6378245.0
#define GCJ_EE			0.00669342162296594323

/* WGS-84 ellipsoid */
#define WGS84_A			6378137.0
#define WGS84_F			(1.0 / 298.257223563)
#define WGS84_B			(WGS84_A * (1.0 - WGS84_F))
#define WGS84_E2		(WGS84_F * (2.0 - WGS84_F))

/* mean Earth radius (IUGG) for the haversine distance */
#define MEAN_RADIUS_M	6371008.8

#define BD_FACTOR		(M_PI * 3000.0 / 180.0)

/* iterative inverses stop when the forward image is this close (degrees) */
#define INVERSE_EPSILON 1e-11
#define INVERSE_MAX_STEPS 30

#define DEG2RAD(d)		((d) * (M_PI / 180.0))
#define RAD2DEG(r)		((r) * (180.0 / M_PI))

bool
hrguard_datum_from_name(const char *name, HrguardDatum *datum)
{
	if (strcmp(name, "wgs84") == 0)
		*datum = HRGUARD_DATUM_WGS84;
	else if (strcmp(name, "gcj02") == 0)
		*datum = HRGUARD_DATUM_GCJ02;
	else if (strcmp(name, "bd09") == 0)
		*datum = HRGUARD_DATUM_BD09;
	else
		return false;
	return true;
}

const char *
hrguard_datum_name(HrguardDatum datum)
{
	switch (datum)
	{
		case HRGUARD_DATUM_WGS84:
			return "wgs84";
		case HRGUARD_DATUM_GCJ02:
			return "gcj02";
		case HRGUARD_DATUM_BD09:
			return "bd09";
	}
	return "unknown";
}

/*
 * The rough box in which the public GCJ-02 algorithm applies its offset;
 * outside it coordinates pass unchanged.
 */
bool
hrguard_in_china_bbox(double lat, double lon)
{
	return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/* The two polynomial-plus-sine terms of the GCJ-02 formula. */
static double
gcj_term_lat(double x, double y)
{
	double		t;

	t = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
	t += (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
	t += (20.0 * sin(y * M_PI) + 40.0 * sin(y / 3.0 * M_PI)) * 2.0 / 3.0;
	t += (160.0 * sin(y / 12.0 * M_PI) + 320.0 * sin(y * M_PI / 30.0)) * 2.0 / 3.0;
	return t;
}

static double
gcj_term_lon(double x, double y)
{
	double		t;

	t = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
	t += (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
	t += (20.0 * sin(x * M_PI) + 40.0 * sin(x / 3.0 * M_PI)) * 2.0 / 3.0;
	t += (150.0 * sin(x / 12.0 * M_PI) + 300.0 * sin(x / 30.0 * M_PI)) * 2.0 / 3.0;
	return t;
}

void
hrguard_wgs84_to_gcj02(double lat, double lon, double *out_lat, double *out_lon)
{
	double		x = lon - 105.0;
	double		y = lat - 35.0;
	double		dlat;
	double		dlon;
	double		s;
	double		w;

	if (!hrguard_in_china_bbox(lat, lon))
	{
		*out_lat = lat;
		*out_lon = lon;
		return;
	}

	s = sin(DEG2RAD(lat));
	w = 1.0 - GCJ_EE * s * s;
	dlat = gcj_term_lat(x, y) * 180.0 / ((GCJ_A * (1.0 - GCJ_EE)) / (w * sqrt(w)) * M_PI);
	dlon = gcj_term_lon(x, y) * 180.0 / (GCJ_A / sqrt(w) * cos(DEG2RAD(lat)) * M_PI);
	*out_lat = lat + dlat;
	*out_lon = lon + dlon;
}

/*
 * Invert a forward transform f near the identity: find p with f(p) = target
 * by the fixed-point iteration p <- p - (f(p) - target), from a first guess.
 * The datum offsets change so slowly with position that each step gains
 * several digits.
 */
typedef void (*datum_forward) (double lat, double lon, double *out_lat, double *out_lon);

static void
invert_forward(datum_forward forward, double lat, double lon,
			   double guess_lat, double guess_lon,
			   double *out_lat, double *out_lon)
{
	double		plat = guess_lat;
	double		plon = guess_lon;
	int			i;

	for (i = 0; i < INVERSE_MAX_STEPS; i++)
	{
		double		flat;
		double		flon;
		double		elat;
		double		elon;

		forward(plat, plon, &flat, &flon);
		elat = flat - lat;
		elon = flon - lon;
		if (fabs(elat) < INVERSE_EPSILON && fabs(elon) < INVERSE_EPSILON)
			break;
		plat -= elat;
		plon -= elon;
	}
	*out_lat = plat;
	*out_lon = plon;
}

/* GCJ-02 to WGS-84, starting from the GCJ-02 point itself. */
void
hrguard_gcj02_to_wgs84(double lat, double lon, double *out_lat, double *out_lon)
{
	if (!hrguard_in_china_bbox(lat, lon))
	{
		*out_lat = lat;
		*out_lon = lon;
		return;
	}
	invert_forward(hrguard_wgs84_to_gcj02, lat, lon, lat, lon, out_lat, out_lon);
}

void
hrguard_gcj02_to_bd09(double lat, double lon, double *out_lat, double *out_lon)
{
	double		z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * BD_FACTOR);
	double		theta = atan2(lat, lon) + 0.000003 * cos(lon * BD_FACTOR);

	*out_lon = z * cos(theta) + 0.0065;
	*out_lat = z * sin(theta) + 0.006;
}

/*
 * BD-09 to GCJ-02: the exact inverse of hrguard_gcj02_to_bd09, starting
 * from the usual closed-form approximation (which alone is off by up to
 * about a metre).
 */
void
hrguard_bd09_to_gcj02(double lat, double lon, double *out_lat, double *out_lon)
{
	double		x = lon - 0.0065;
	double		y = lat - 0.006;
	double		z = sqrt(x * x + y * y) - 0.00002 * sin(y * BD_FACTOR);
	double		theta = atan2(y, x) - 0.000003 * cos(x * BD_FACTOR);

	invert_forward(hrguard_gcj02_to_bd09, lat, lon,
				   z * sin(theta), z * cos(theta), out_lat, out_lon);
}

void
hrguard_to_wgs84(HrguardDatum datum, double lat, double lon,
				 double *out_lat, double *out_lon)
{
	double		glat;
	double		glon;

	switch (datum)
	{
		case HRGUARD_DATUM_WGS84:
			*out_lat = lat;
			*out_lon = lon;
			break;
		case HRGUARD_DATUM_GCJ02:
			hrguard_gcj02_to_wgs84(lat, lon, out_lat, out_lon);
			break;
		case HRGUARD_DATUM_BD09:
			hrguard_bd09_to_gcj02(lat, lon, &glat, &glon);
			hrguard_gcj02_to_wgs84(glat, glon, out_lat, out_lon);
			break;
	}

	/* the offsets push points near a pole or the antimeridian past them */
	if (!(*out_lat >= -90.0 && *out_lat <= 90.0 && *out_lon >= -180.0 && *out_lon <= 180.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("position (%g, %g) has no WGS-84 equivalent in range", lat, lon),
				 errdetail("Converted to WGS-84 it becomes (%g, %g).", *out_lat, *out_lon),
				 errhint("GCJ-02 and BD-09 positions lie in and around China; check the datum.")));
}

/* Great-circle distance on the mean sphere; for speeds between punches. */
double
hrguard_haversine_m(double lat1, double lon1, double lat2, double lon2)
{
	double		dlat = DEG2RAD(lat2 - lat1);
	double		dlon = DEG2RAD(lon2 - lon1);
	double		h;

	h = sin(dlat / 2.0) * sin(dlat / 2.0) +
		cos(DEG2RAD(lat1)) * cos(DEG2RAD(lat2)) * sin(dlon / 2.0) * sin(dlon / 2.0);
	return 2.0 * MEAN_RADIUS_M * asin(fmin(1.0, sqrt(h)));
}

/*
 * Geodesic distance on the WGS-84 ellipsoid (Vincenty's inverse method,
 * sub-millimetre for the distances zones care about).  For the nearly
 * antipodal points where the iteration may not converge it falls back to the
 * haversine distance, which cannot matter for a zone at most 50 km wide.
 */
double
hrguard_geodesic_m(double lat1, double lon1, double lat2, double lon2)
{
	double		L = DEG2RAD(hrguard_lon_difference(lon2, lon1));	/* the short way round */
	double		U1 = atan((1.0 - WGS84_F) * tan(DEG2RAD(lat1)));
	double		U2 = atan((1.0 - WGS84_F) * tan(DEG2RAD(lat2)));
	double		sinU1 = sin(U1),
				cosU1 = cos(U1);
	double		sinU2 = sin(U2),
				cosU2 = cos(U2);
	double		lambda = L;
	double		sin_sigma = 0,
				cos_sigma = 0,
				sigma = 0,
				cos2_alpha = 0,
				cos_2sigma_m = 0;
	int			i;

	if (lat1 == lat2 && lon1 == lon2)
		return 0.0;

	for (i = 0; i < 200; i++)
	{
		double		sin_lambda = sin(lambda),
					cos_lambda = cos(lambda);
		double		sin_alpha;
		double		C;
		double		previous = lambda;

		sin_sigma = sqrt((cosU2 * sin_lambda) * (cosU2 * sin_lambda) +
						 (cosU1 * sinU2 - sinU1 * cosU2 * cos_lambda) *
						 (cosU1 * sinU2 - sinU1 * cosU2 * cos_lambda));
		if (sin_sigma == 0.0)
			return 0.0;			/* coincident points */
		cos_sigma = sinU1 * sinU2 + cosU1 * cosU2 * cos_lambda;
		sigma = atan2(sin_sigma, cos_sigma);
		sin_alpha = cosU1 * cosU2 * sin_lambda / sin_sigma;
		cos2_alpha = 1.0 - sin_alpha * sin_alpha;
		cos_2sigma_m = (cos2_alpha != 0.0) ?
			cos_sigma - 2.0 * sinU1 * sinU2 / cos2_alpha : 0.0;
		C = WGS84_F / 16.0 * cos2_alpha * (4.0 + WGS84_F * (4.0 - 3.0 * cos2_alpha));
		lambda = L + (1.0 - C) * WGS84_F * sin_alpha *
			(sigma + C * sin_sigma *
			 (cos_2sigma_m + C * cos_sigma * (-1.0 + 2.0 * cos_2sigma_m * cos_2sigma_m)));
		if (fabs(lambda - previous) < 1e-12)
		{
			double		u2 = cos2_alpha * (WGS84_A * WGS84_A - WGS84_B * WGS84_B) /
				(WGS84_B * WGS84_B);
			double		A = 1.0 + u2 / 16384.0 * (4096.0 + u2 * (-768.0 + u2 * (320.0 - 175.0 * u2)));
			double		B = u2 / 1024.0 * (256.0 + u2 * (-128.0 + u2 * (74.0 - 47.0 * u2)));
			double		delta_sigma;

			delta_sigma = B * sin_sigma *
				(cos_2sigma_m + B / 4.0 *
				 (cos_sigma * (-1.0 + 2.0 * cos_2sigma_m * cos_2sigma_m) -
				  B / 6.0 * cos_2sigma_m * (-3.0 + 4.0 * sin_sigma * sin_sigma) *
				  (-3.0 + 4.0 * cos_2sigma_m * cos_2sigma_m)));
			return WGS84_B * A * (sigma - delta_sigma);
		}
	}
	return hrguard_haversine_m(lat1, lon1, lat2, lon2);
}

/* Metres per degree of longitude and of latitude at a latitude (WGS-84). */
void
hrguard_metres_per_degree(double lat, double *per_deg_lon, double *per_deg_lat)
{
	double		s = sin(DEG2RAD(lat));
	double		w = 1.0 - WGS84_E2 * s * s;
	double		n = WGS84_A / sqrt(w);	/* prime vertical radius */
	double		m = WGS84_A * (1.0 - WGS84_E2) / (w * sqrt(w));	/* meridional */

	*per_deg_lon = fmax(n * cos(DEG2RAD(lat)) * M_PI / 180.0, 1.0);
	*per_deg_lat = m * M_PI / 180.0;
}

/* Degrees of longitude and latitude that span at least the given metres. */
void
hrguard_degree_margin(double lat, double metres, double *dlon, double *dlat)
{
	double		per_lon;
	double		per_lat;
	double		edge;

	hrguard_metres_per_degree(lat, &per_lon, &per_lat);
	*dlat = metres / per_lat * 1.001;
	/* near a pole every longitude is within reach */
	edge = fabs(lat) + *dlat + 0.01;
	if (edge >= 89.0)
	{
		*dlon = 360.0;
		return;
	}
	/* the widest of the two edges of the band, plus a little slack */
	hrguard_metres_per_degree(edge, &per_lon, &per_lat);
	*dlon = metres / per_lon * 1.001;
}

/* a difference of longitudes, the short way round: -180 to 180 */
double
hrguard_lon_difference(double lon, double from)
{
	double		d = fmod(lon - from, 360.0);

	if (d > 180.0)
		d -= 360.0;
	else if (d < -180.0)
		d += 360.0;
	return d;
}

/* degrees of longitude from a point to a box, the short way round (0 within it) */
double
hrguard_lon_gap(const HrguardShape *shape, double lon)
{
	double		best = INFINITY;
	int			k;

	for (k = -1; k <= 1; k++)
	{
		double		l = lon + 360.0 * k;

		best = fmin(best, fmax(0.0, fmax(shape->xmin - l, l - shape->xmax)));
	}
	return best;
}

/* Fill in a shape's bounding box and local metre scales. */
void
hrguard_shape_finish(HrguardShape *shape)
{
	int			p,
				r,
				i;

	if (shape->is_circle)
	{
		double		dlon;
		double		dlat;

		hrguard_degree_margin(shape->center.y, shape->radius_m, &dlon, &dlat);
		shape->xmin = shape->center.x - dlon;
		shape->xmax = shape->center.x + dlon;
		shape->ymin = shape->center.y - dlat;
		shape->ymax = shape->center.y + dlat;
		shape->nvertices = 1;
	}
	else
	{
		shape->xmin = shape->ymin = INFINITY;
		shape->xmax = shape->ymax = -INFINITY;
		shape->nvertices = 0;
		for (p = 0; p < shape->npolygons; p++)
			for (r = 0; r < shape->polygons[p].nrings; r++)
			{
				HrguardRing *ring = &shape->polygons[p].rings[r];

				shape->nvertices += ring->npoints;
				for (i = 0; i < ring->npoints; i++)
				{
					shape->xmin = fmin(shape->xmin, ring->points[i].x);
					shape->xmax = fmax(shape->xmax, ring->points[i].x);
					shape->ymin = fmin(shape->ymin, ring->points[i].y);
					shape->ymax = fmax(shape->ymax, ring->points[i].y);
				}
			}
	}
	hrguard_metres_per_degree((shape->ymin + shape->ymax) / 2.0,
							  &shape->m_per_deg_x, &shape->m_per_deg_y);

	/*
	 * The plane of the centre's latitude takes a point's longitude at the
	 * wrong scale by about tan(latitude) times the point's latitude away,
	 * in radians: a relative error that grows with the distance (twice
	 * that, to be safe).
	 */
	if (shape->is_circle)
		shape->plane_error = 2.0 * fabs(tan(DEG2RAD(fmin(fabs(shape->center.y), 89.0)))) / MEAN_RADIUS_M;
}

/*
 * Winding number of a ring around a point: 1 inside, 0 on the ring,
 * -1 outside.  Orientation of the ring does not matter.
 */
static int
point_in_ring(const HrguardRing *ring, double px, double py)
{
	int			winding = 0;
	int			i;

	for (i = 0; i + 1 < ring->npoints; i++)
	{
		const HrguardXY *a = &ring->points[i];
		const HrguardXY *b = &ring->points[i + 1];
		double		side;

		if (a->x == b->x && a->y == b->y)
			continue;			/* repeated vertex */

		side = (b->x - a->x) * (py - a->y) - (px - a->x) * (b->y - a->y);
		if (side == 0.0 &&
			px >= fmin(a->x, b->x) && px <= fmax(a->x, b->x) &&
			py >= fmin(a->y, b->y) && py <= fmax(a->y, b->y))
			return 0;			/* on this edge */

		if (a->y <= py && py < b->y && side > 0.0)
			winding++;
		else if (b->y <= py && py < a->y && side < 0.0)
			winding--;
	}
	return winding == 0 ? -1 : 1;
}

/*
 * Point against a multipolygon: 1 inside, 0 on the boundary (of a shell or
 * of a hole), -1 outside.
 */
int
hrguard_point_in_polygons(const HrguardShape *shape, double lon, double lat)
{
	int			p,
				r;

	if (lon < shape->xmin || lon > shape->xmax ||
		lat < shape->ymin || lat > shape->ymax)
		return -1;

	for (p = 0; p < shape->npolygons; p++)
	{
		const HrguardPolygon *poly = &shape->polygons[p];
		int			where;
		bool		in_hole = false;

		if (poly->nrings == 0)
			continue;
		where = point_in_ring(&poly->rings[0], lon, lat);
		if (where < 0)
			continue;
		if (where == 0)
			return 0;
		for (r = 1; r < poly->nrings; r++)
		{
			where = point_in_ring(&poly->rings[r], lon, lat);
			if (where == 0)
				return 0;
			if (where > 0)
			{
				in_hole = true;
				break;
			}
		}
		if (!in_hole)
			return 1;
	}
	return -1;
}

/* Distance in metres from a point to the nearest edge of a multipolygon. */
static double
distance_to_edges(const HrguardShape *shape, double lon, double lat)
{
	double		sx = shape->m_per_deg_x;
	double		sy = shape->m_per_deg_y;
	double		best = INFINITY;
	int			p,
				r,
				i;

	for (p = 0; p < shape->npolygons; p++)
		for (r = 0; r < shape->polygons[p].nrings; r++)
		{
			const HrguardRing *ring = &shape->polygons[p].rings[r];

			for (i = 0; i + 1 < ring->npoints; i++)
			{
				/* the point at the origin, the edge from a to b, in metres */
				double		ax = (ring->points[i].x - lon) * sx;
				double		ay = (ring->points[i].y - lat) * sy;
				double		bx = (ring->points[i + 1].x - lon) * sx;
				double		by = (ring->points[i + 1].y - lat) * sy;
				double		dx = bx - ax;
				double		dy = by - ay;
				double		len2 = dx * dx + dy * dy;
				double		t = 0.0;
				double		cx,
							cy;

				if (len2 > 0.0)
					t = fmin(1.0, fmax(0.0, -(ax * dx + ay * dy) / len2));
				cx = ax + t * dx;
				cy = ay + t * dy;
				best = fmin(best, cx * cx + cy * cy);
			}
		}
	return sqrt(best);
}

/*
 * A lower bound, in metres, of the distance from a point to a shape: the
 * distance to its bounding box, in the frame hrguard_shape_locate measures
 * polygons in (exact there, since a polygon lies within its box); for a
 * circle, measured geodesically, with a margin of 1 % and 1 m.  Zero
 * within the box.
 */
double
hrguard_shape_distance_lower_bound(const HrguardShape *shape, double lon, double lat)
{
	double		dx = hrguard_lon_gap(shape, lon) * shape->m_per_deg_x;
	double		dy = fmax(0.0, fmax(shape->ymin - lat, lat - shape->ymax)) * shape->m_per_deg_y;
	double		d = sqrt(dx * dx + dy * dy);

	return shape->is_circle ? fmax(0.0, 0.99 * d - 1.0) : d;
}

/*
 * Where is a point with the given accuracy relative to a shape?
 *
 * The boundary counts as inside.  With accuracy 0 the answer is exactly
 * "covered or not".  With accuracy a > 0 the point is inside only if it is
 * covered and at least a metres from the boundary, outside only if it is
 * not covered and at least a metres from it, and uncertain otherwise.
 * The signed distance to the boundary (positive inside) is returned when
 * asked for, or when the accuracy needs it.
 */
HrguardLocation
hrguard_shape_locate(const HrguardShape *shape, double lon, double lat,
					 double accuracy_m, double *signed_distance_m)
{
	bool		covered;
	double		distance = 0.0; /* to the boundary, unsigned */
	bool		need_distance = (signed_distance_m != NULL || accuracy_m > 0.0);

	if (shape->is_circle)
	{
		double		dx = hrguard_lon_difference(lon, shape->center.x) * shape->m_per_deg_x;
		double		dy = (lat - shape->center.y) * shape->m_per_deg_y;
		double		d = sqrt(dx * dx + dy * dy);

		/*
		 * The plane of the centre is within (2e-4 + plane_error * d) of the
		 * distance, away from the poles; in that band around the rim (as in
		 * the accuracy band, near a pole, or when a distance is asked for)
		 * the distance is measured on the ellipsoid.
		 */
		if (fabs(d - shape->radius_m) <= (2e-4 + shape->plane_error * d) * d + 1.0 + fmax(accuracy_m, 0.0) ||
			fabs(shape->center.y) > 80.0 || signed_distance_m != NULL)
			d = hrguard_geodesic_m(shape->center.y, shape->center.x, lat, lon);
		covered = d <= shape->radius_m;
		distance = fabs(shape->radius_m - d);
	}
	else
	{
		covered = hrguard_point_in_polygons(shape, lon, lat) >= 0;
		if (need_distance)
			distance = distance_to_edges(shape, lon, lat);
	}

	if (signed_distance_m != NULL)
		*signed_distance_m = covered ? distance : -distance;

	if (accuracy_m <= 0.0)
		return covered ? HRGUARD_INSIDE : HRGUARD_OUTSIDE;
	if (distance >= accuracy_m)
		return covered ? HRGUARD_INSIDE : HRGUARD_OUTSIDE;
	return HRGUARD_UNCERTAIN;
}
