/*-------------------------------------------------------------------------
 *
 * case_map.c
 *	  The SVG map of hrguard-verify --html: the punches of a verified
 *	  evidence package (their WGS-84 positions, verdicts and times, from the
 *	  entries' canonical bytes) against the zones the case package states,
 *	  projected as hrguard.case_report_map() projects them: a margin of
 *	  about 500 m, 640 x 420 at most, north up, metres the same on both axes.
 *
 * The zones are stated, not proven, and are read with suspicion: a member
 * of the wrong type, a ring that is not an array of two numbers, or a
 * position the projection cannot place is left out, never a crash.
 *
 * IDENTIFICATION
 *	  src/verify/case_map.c
 *
 *-------------------------------------------------------------------------
 */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "case_html.h"
#include "hashes.h"
#include "report.h"

#define MAP_PUNCHES 2000		/* the latest punches drawn */
#define MAP_ZONES 500			/* the zones drawn */
#define RING_VERTICES 2000		/* a longer ring is drawn with every k-th vertex */
#define MAP_FAR 1e7				/* a stated position this far off the map is not drawn */

typedef struct MapPunch
{
	int64_t		t;
	uint64_t	seq;
	double		lat;
	double		lon;
	json_t	   *doc;			/* the entry, which holds the texts below */
	const char *verdict;
	const char *check_type;
	json_t	   *zone_id;		/* the watched zone, or the zone; may be null */
} MapPunch;

typedef struct Projection
{
	double		west;
	double		north;
	double		kx;
	double		ky;
	double		width;			/* of the map, as drawn */
	double		height;
} Projection;

/* whether a box of the plane reaches the map (as hrguard.case_zones keeps the zones that reach it) */
static bool
on_map(const Projection *map, double x0, double y0, double x1, double y1)
{
	return x1 >= 0 && x0 <= map->width && y1 >= 0 && y0 <= map->height;
}

static int
by_time(const void *a, const void *b)
{
	const MapPunch *x = a,
			   *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* the punch entries of the package with a position, in time order */
static MapPunch *
punches_of(const Package *evidence, size_t *count)
{
	MapPunch   *punches = calloc(evidence->n_entries + 1, sizeof(MapPunch));
	size_t		n = 0,
				i;

	if (punches == NULL)
		unreadable("out of memory");
	for (i = 0; i < evidence->n_entries; i++)
	{
		const PackageEntry *e = &evidence->entries[i];
		uint8_t    *bytes = malloc(base64_decoded_length(e->canon, e->canon_len) + 1);
		long		len;
		json_t	   *doc,
				   *p,
				   *lat,
				   *lon,
				   *zone;

		if (bytes == NULL)
			unreadable("out of memory");
		len = base64_decode(e->canon, e->canon_len, bytes);
		doc = len < 0 ? NULL : json_loadb((const char *) bytes, (size_t) len, 0, NULL);
		free(bytes);
		p = json_object_get(doc, "p");
		lat = json_object_get(p, "lat_e7");
		lon = json_object_get(p, "lon_e7");
		if (!json_is_string(json_object_get(doc, "k")) ||
			strcmp(json_string_value(json_object_get(doc, "k")), "punch") != 0 ||
			!json_is_integer(lat) || !json_is_integer(lon) || !json_is_integer(json_object_get(doc, "t")))
		{
			json_decref(doc);
			continue;
		}
		punches[n].t = (int64_t) json_integer_value(json_object_get(doc, "t"));
		punches[n].seq = e->seq;
		punches[n].lat = (double) json_integer_value(lat) / 1e7;
		punches[n].lon = (double) json_integer_value(lon) / 1e7;
		punches[n].doc = doc;
		punches[n].verdict = json_string_value(json_object_get(p, "verdict"));
		punches[n].check_type = json_string_value(json_object_get(p, "check_type"));
		zone = json_object_get(p, "watched_zone_id");
		punches[n].zone_id = json_is_integer(zone) ? zone : json_object_get(p, "zone_id");
		n++;
	}
	qsort(punches, n, sizeof(MapPunch), by_time);
	*count = n;
	return punches;
}

/* a number of the stated zones, or NaN */
static double
number(json_t *value)
{
	return json_is_number(value) ? json_number_value(value) : NAN;
}

/* a point of the plane, if the projection can place it */
static bool
project(const Projection *map, double lon, double lat, double *x, double *y)
{
	*x = (lon - map->west) * map->kx;
	*y = (map->north - lat) * map->ky;
	return isfinite(*x) && isfinite(*y) && fabs(*x) < MAP_FAR && fabs(*y) < MAP_FAR;
}

static void
write_point(FILE *out, double x, double y)
{
	write_tenths(out, x);
	fputc(',', out);
	write_tenths(out, y);
}

static const char *
zone_colour(const char *kind)
{
	if (kind == NULL)
		return "client";
	if (strcmp(kind, "competitor") == 0 || strcmp(kind, "restricted") == 0)
		return "competitor";
	if (strcmp(kind, "office") == 0)
		return "office";
	return "client";			/* client and project */
}

/*
 * The rings of one GeoJSON polygon as path data, each "M x,y L x,y ... Z";
 * a ring with fewer than three vertices that can be placed is left out.
 */
static void
write_polygon(FILE *out, const Projection *map, json_t *rings)
{
	size_t		r;
	bool		first = true;
	bool		reaches = false;
	double		x0 = INFINITY,
				y0 = INFINITY,
				x1 = -INFINITY,
				y1 = -INFINITY;

	/* a polygon that does not reach the map is not drawn */
	for (r = 0; r < json_array_size(rings); r++)
	{
		json_t	   *ring = json_array_get(rings, r);
		size_t		n = json_array_size(ring);
		size_t		step = (n + RING_VERTICES - 1) / RING_VERTICES;
		size_t		k;
		double		x,
					y;

		for (k = 0; k < n; k += step)
			if (project(map, number(json_array_get(json_array_get(ring, k), 0)),
						number(json_array_get(json_array_get(ring, k), 1)), &x, &y))
			{
				x0 = fmin(x0, x);
				y0 = fmin(y0, y);
				x1 = fmax(x1, x);
				y1 = fmax(y1, y);
			}
	}
	reaches = on_map(map, x0, y0, x1, y1);

	for (r = 0; r < json_array_size(rings); r++)
	{
		json_t	   *ring = json_array_get(rings, r);
		size_t		n = json_array_size(ring);
		size_t		step = (n + RING_VERTICES - 1) / RING_VERTICES;
		size_t		placed = 0;
		size_t		k;
		double		x,
					y;

		for (k = 0; k < n; k += step)
		{
			json_t	   *v = json_array_get(ring, k);

			placed += project(map, number(json_array_get(v, 0)), number(json_array_get(v, 1)), &x, &y);
		}
		if (placed < 3 || !reaches)
			continue;
		placed = 0;
		for (k = 0; k < n; k += step)
		{
			json_t	   *v = json_array_get(ring, k);

			if (!project(map, number(json_array_get(v, 0)), number(json_array_get(v, 1)), &x, &y))
				continue;
			fputs(placed > 0 ? " L" : (first ? "M" : " M"), out);
			write_point(out, x, y);
			placed++;
			first = false;
		}
		fputs(" Z", out);
	}
}

static void
write_zone(FILE *out, const Projection *map, json_t *zone)
{
	const char *name = json_string_value(json_object_get(zone, "name"));
	const char *kind = json_string_value(json_object_get(zone, "kind"));
	json_t	   *center = json_object_get(zone, "center");
	json_t	   *geometry = json_object_get(zone, "geometry");
	const char *type = json_string_value(json_object_get(geometry, "type"));
	json_t	   *coordinates = json_object_get(geometry, "coordinates");
	double		x,
				y;

	if (json_is_array(center))
	{
		double		radius = number(json_object_get(zone, "radius_m")) / 111320.0 * map->ky;

		if (!project(map, number(json_array_get(center, 0)), number(json_array_get(center, 1)), &x, &y) ||
			!isfinite(radius) || radius < 0 || radius > MAP_FAR ||
			!on_map(map, x - radius, y - radius, x + radius, y + radius))
			return;
		fprintf(out, "<ellipse class=\"zone %s\" cx=\"", zone_colour(kind));
		write_tenths(out, x);
		fputs("\" cy=\"", out);
		write_tenths(out, y);
		fputs("\" rx=\"", out);
		write_tenths(out, radius);
		fputs("\" ry=\"", out);
		write_tenths(out, radius);
		fputs("\">", out);
	}
	else if (type != NULL && (strcmp(type, "Polygon") == 0 || strcmp(type, "MultiPolygon") == 0) &&
			 json_is_array(coordinates))
	{
		size_t		i;

		/* each polygon as one path of all its rings: holes stay holes */
		for (i = 0; i < (strcmp(type, "Polygon") == 0 ? 1 : json_array_size(coordinates)); i++)
		{
			char	   *d = NULL;
			size_t		len = 0;
			FILE	   *path = open_memstream(&d, &len);

			if (path == NULL)
				unreadable("out of memory");
			write_polygon(path, map, strcmp(type, "Polygon") == 0 ? coordinates : json_array_get(coordinates, i));
			if (fclose(path) != 0)
				unreadable("out of memory");
			if (len == 0)
			{
				free(d);		/* nothing of it can be drawn */
				continue;
			}
			fprintf(out, "<path class=\"zone %s\" fill-rule=\"evenodd\" d=\"%s", zone_colour(kind), d);
			free(d);
			fputs("\"><title>", out);
			html_text(out, name);
			fputs(" (", out);
			html_text(out, kind);
			fputs(")</title></path>", out);
		}
		return;
	}
	else
		return;
	fputs("<title>", out);
	html_text(out, name);
	fputs(" (", out);
	html_text(out, kind);
	fputs(")</title></ellipse>", out);
}

/* the stated name of a zone, if the package states it */
static const char *
zone_name(json_t *zones, json_t *zone_id)
{
	size_t		i;

	if (!json_is_integer(zone_id))
		return NULL;
	for (i = 0; i < json_array_size(zones); i++)
	{
		json_t	   *zone = json_array_get(zones, i);

		if (json_is_integer(json_object_get(zone, "zone_id")) &&
			json_integer_value(json_object_get(zone, "zone_id")) == json_integer_value(zone_id))
			return json_string_value(json_object_get(zone, "name"));
	}
	return NULL;
}

static void
write_date(FILE *out, int64_t us)
{
	char		when[32];

	local_minute(us, when);
	when[10] = '\0';
	fputs(when, out);
}

void
write_case_map(FILE *out, const Package *evidence, json_t *zones, const char *employee_id,
			   const char *tenant_id, int64_t since, int64_t until)
{
	size_t		n,
				first,
				i;
	MapPunch   *punches = punches_of(evidence, &n);
	double		south = INFINITY,
				north = -INFINITY,
				west = INFINITY,
				east = -INFINITY;
	double		width,
				height;
	Projection	map;

	if (n == 0)
	{
		fputs("<p class=\"note\">No punch with a position in the package.</p>", out);
		free(punches);
		return;
	}
	first = n > MAP_PUNCHES ? n - MAP_PUNCHES : 0;
	for (i = first; i < n; i++)
	{
		south = fmin(south, punches[i].lat);
		north = fmax(north, punches[i].lat);
		west = fmin(west, punches[i].lon);
		east = fmax(east, punches[i].lon);
	}
	south -= 0.005;
	north += 0.005;
	west -= 0.006;
	east += 0.006;
	map.west = west;
	map.north = north;
	map.kx = cos((south + north) / 2 * M_PI / 180);
	map.ky = fmin(640 / ((east - west) * map.kx), 420 / (north - south));
	map.kx *= map.ky;
	width = ceil((east - west) * map.kx);
	height = ceil((north - south) * map.ky);
	map.width = width;
	map.height = height;

	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" width=\"%.0f\" height=\"%.0f\" "
			"viewBox=\"0 0 %.0f %.0f\" role=\"img\"><title>Punches of ", width, height, width, height);
	html_text(out, employee_id);
	fputs(", ", out);
	write_date(out, since);
	fputs(" to ", out);
	write_date(out, until);
	fputs(", against the zones of tenant ", out);
	html_text(out, tenant_id);
	fprintf(out, "</title><rect class=\"ground\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\"/>", width, height);

	for (i = 0; i < json_array_size(zones) && i < MAP_ZONES; i++)
		write_zone(out, &map, json_array_get(zones, i));

	for (i = first; i < n; i++)
	{
		const MapPunch *p = &punches[i];
		const char *zone = zone_name(zones, p->zone_id);
		char		when[32];
		double		x,
					y;

		project(&map, p->lon, p->lat, &x, &y);
		fputs("<circle class=\"punch ", out);
		html_text(out, p->verdict != NULL ? p->verdict : "unknown");
		fputs("\" cx=\"", out);
		write_tenths(out, x);
		fputs("\" cy=\"", out);
		write_tenths(out, y);
		local_minute(p->t, when);
		fprintf(out, "\" r=\"3\"><title>%s ", when);
		html_text(out, p->check_type);
		fputs(": ", out);
		html_text(out, p->verdict != NULL ? p->verdict : "no verdict");
		if (zone != NULL)
		{
			fputs(", ", out);
			html_text(out, zone);
		}
		else if (json_is_integer(p->zone_id))
			fprintf(out, ", zone %" JSON_INTEGER_FORMAT, json_integer_value(p->zone_id));
		fputs("</title></circle>", out);
	}
	fprintf(out, "</svg><p class=\"note\">%zu punches with a position in the package (the latest 2000 at most); "
			"zones as the package states them (at most 500): office blue, client and project green, "
			"competitor and restricted red; punches: inside green, uncertain orange, outside red.  No map tiles: "
			"positions are WGS-84 on a plane around them, north up (not across the 180th meridian).</p>",
			n - first);
	for (i = 0; i < n; i++)
		json_decref(punches[i].doc);
	free(punches);
}
