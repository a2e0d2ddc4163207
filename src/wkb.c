/*-------------------------------------------------------------------------
 *
 * wkb.c
 *	  Reading and writing the EWKB form of zone shapes.
 *
 * EWKB is PostGIS's extended Well-Known Binary: a byte-order mark, a
 * geometry type whose high bits flag Z, M and an embedded SRID, then the
 * coordinates.  hrguard needs only points, polygons and multipolygons; Z and
 * M ordinates are read past and dropped.
 *
 * IDENTIFICATION
 *	  src/wkb.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "lib/stringinfo.h"
#include "port/pg_bswap.h"

#include "wkb.h"

#define EWKB_Z_FLAG		0x80000000u
#define EWKB_M_FLAG		0x40000000u
#define EWKB_SRID_FLAG	0x20000000u

#define WKB_POINT			1
#define WKB_POLYGON			3
#define WKB_MULTIPOLYGON	6

typedef struct WkbReader
{
	const uint8 *pos;
	const uint8 *end;
	bool		swap;			/* data byte order differs from ours */
} WkbReader;

typedef struct WkbHeader
{
	uint32		type;			/* without flags */
	int			ordinates;		/* 2, 3 or 4 */
	int32		srid;			/* 0 if not given */
} WkbHeader;

static void
need(WkbReader *r, size_t n)
{
	if ((size_t) (r->end - r->pos) < n)
		elog(ERROR, "truncated EWKB geometry");
}

static uint32
read_uint32(WkbReader *r)
{
	uint32		v;

	need(r, 4);
	memcpy(&v, r->pos, 4);
	r->pos += 4;
	return r->swap ? pg_bswap32(v) : v;
}

static double
read_double(WkbReader *r)
{
	uint64		bits;
	double		v;

	need(r, 8);
	memcpy(&bits, r->pos, 8);
	r->pos += 8;
	if (r->swap)
		bits = pg_bswap64(bits);
	memcpy(&v, &bits, 8);
	return v;
}

static void
read_header(WkbReader *r, WkbHeader *h)
{
	uint8		order;
	uint32		raw;

	need(r, 1);
	order = *r->pos++;
#ifdef WORDS_BIGENDIAN
	r->swap = (order == 1);
#else
	r->swap = (order == 0);
#endif
	raw = read_uint32(r);
	h->ordinates = 2 + ((raw & EWKB_Z_FLAG) ? 1 : 0) + ((raw & EWKB_M_FLAG) ? 1 : 0);
	h->srid = (raw & EWKB_SRID_FLAG) ? (int32) read_uint32(r) : 0;
	h->type = raw & 0x0fffffffu;
	/* ISO WKB spells Z/M as 1000/2000/3000 added to the type */
	if (h->type >= 1000 && h->type < 4000)
	{
		h->ordinates = (h->type >= 3000) ? 4 : 3;
		h->type %= 1000;
	}
}

static void
read_xy(WkbReader *r, int ordinates, HrguardXY *xy)
{
	int			i;

	xy->x = read_double(r);
	xy->y = read_double(r);
	for (i = 2; i < ordinates; i++)
		(void) read_double(r);
}

static void
read_polygon_body(WkbReader *r, int ordinates, HrguardPolygon *poly)
{
	uint32		nrings = read_uint32(r);
	uint32		i,
				j;

	need(r, (size_t) nrings * 4);
	poly->nrings = nrings;
	poly->rings = palloc0(sizeof(HrguardRing) * Max(nrings, 1));
	for (i = 0; i < nrings; i++)
	{
		HrguardRing *ring = &poly->rings[i];
		uint32		npoints = read_uint32(r);

		need(r, (size_t) npoints * ordinates * 8);
		ring->npoints = npoints;
		ring->points = palloc(sizeof(HrguardXY) * Max(npoints, 1));
		for (j = 0; j < npoints; j++)
			read_xy(r, ordinates, &ring->points[j]);
	}
}

/*
 * The polygon or multipolygon in an EWKB value, as an unfinished shape (the
 * caller validates it and calls hrguard_shape_finish).  Returns NULL for any
 * other geometry type.
 */
HrguardShape *
hrguard_shape_from_ewkb(const bytea *ewkb, int32 *srid)
{
	WkbReader	r;
	WkbHeader	h;
	HrguardShape *shape;

	r.pos = (const uint8 *) VARDATA_ANY(ewkb);
	r.end = r.pos + VARSIZE_ANY_EXHDR(ewkb);
	read_header(&r, &h);
	*srid = h.srid;

	shape = palloc0(sizeof(HrguardShape));
	if (h.type == WKB_POLYGON)
	{
		shape->npolygons = 1;
		shape->polygons = palloc0(sizeof(HrguardPolygon));
		read_polygon_body(&r, h.ordinates, &shape->polygons[0]);
	}
	else if (h.type == WKB_MULTIPOLYGON)
	{
		uint32		n = read_uint32(&r);
		uint32		i;

		need(&r, (size_t) n * 9);
		shape->npolygons = n;
		shape->polygons = palloc0(sizeof(HrguardPolygon) * Max(n, 1));
		for (i = 0; i < n; i++)
		{
			WkbHeader	ph;

			read_header(&r, &ph);
			if (ph.type != WKB_POLYGON)
				elog(ERROR, "multipolygon EWKB holds a geometry of type %u", ph.type);
			read_polygon_body(&r, ph.ordinates, &shape->polygons[i]);
		}
	}
	else
	{
		pfree(shape);
		return NULL;
	}
	return shape;
}

/*
 * The point in an EWKB value.  Returns false if it is not a point; an empty
 * point comes back with NaN coordinates.
 */
bool
hrguard_point_from_ewkb(const bytea *ewkb, int32 *srid, HrguardXY *point)
{
	WkbReader	r;
	WkbHeader	h;

	r.pos = (const uint8 *) VARDATA_ANY(ewkb);
	r.end = r.pos + VARSIZE_ANY_EXHDR(ewkb);
	read_header(&r, &h);
	*srid = h.srid;
	if (h.type != WKB_POINT)
		return false;
	read_xy(&r, h.ordinates, point);
	return true;
}

static void
write_header(StringInfo buf, uint32 type, int32 srid)
{
#ifdef WORDS_BIGENDIAN
	appendStringInfoChar(buf, 0);
#else
	appendStringInfoChar(buf, 1);
#endif
	if (srid != 0)
		type |= EWKB_SRID_FLAG;
	appendBinaryStringInfo(buf, (char *) &type, 4);
	if (srid != 0)
		appendBinaryStringInfo(buf, (char *) &srid, 4);
}

static void
write_uint32(StringInfo buf, uint32 v)
{
	appendBinaryStringInfo(buf, (char *) &v, 4);
}

static void
write_xy(StringInfo buf, const HrguardXY *xy)
{
	appendBinaryStringInfo(buf, (char *) &xy->x, 8);
	appendBinaryStringInfo(buf, (char *) &xy->y, 8);
}

static bytea *
buffer_to_bytea(StringInfo buf)
{
	bytea	   *result = palloc(VARHDRSZ + buf->len);

	SET_VARSIZE(result, VARHDRSZ + buf->len);
	memcpy(VARDATA(result), buf->data, buf->len);
	pfree(buf->data);
	return result;
}

/* EWKB of a shape's polygons, always as a multipolygon. */
bytea *
hrguard_ewkb_from_polygons(const HrguardShape *shape, int32 srid)
{
	StringInfoData buf;
	int			p,
				r,
				i;

	initStringInfo(&buf);
	write_header(&buf, WKB_MULTIPOLYGON, srid);
	write_uint32(&buf, shape->npolygons);
	for (p = 0; p < shape->npolygons; p++)
	{
		const HrguardPolygon *poly = &shape->polygons[p];

		write_header(&buf, WKB_POLYGON, 0);
		write_uint32(&buf, poly->nrings);
		for (r = 0; r < poly->nrings; r++)
		{
			write_uint32(&buf, poly->rings[r].npoints);
			for (i = 0; i < poly->rings[r].npoints; i++)
				write_xy(&buf, &poly->rings[r].points[i]);
		}
	}
	return buffer_to_bytea(&buf);
}

/* EWKB of a point. */
bytea *
hrguard_ewkb_from_point(const HrguardXY *point, int32 srid)
{
	StringInfoData buf;

	initStringInfo(&buf);
	write_header(&buf, WKB_POINT, srid);
	write_xy(&buf, point);
	return buffer_to_bytea(&buf);
}
