/*-------------------------------------------------------------------------
 *
 * zone.c
 *	  The zone trigger: validates a zone and stores its shape in WGS-84.
 *
 * The shape as entered (raw_geom or raw_center, in the datum source_crs) is
 * the truth; geom and center are always derived from it.  So the trigger
 * gives the same result whether a row comes from an application, from an
 * UPDATE that touches other columns, or from pg_restore.  Writing geom or
 * center (and not the raw columns) means "this is the new shape in
 * source_crs".
 *
 * IDENTIFICATION
 *	  src/zone.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/rangetypes.h"

#include "common.h"
#include "datum.h"
#include "postgis_bridge.h"
#include "privilege.h"
#include "wkb.h"
#include "zone.h"

#define ZONE_SRID 4326

/* the zone columns the trigger reads or writes */
typedef enum ZoneColumn
{
	ZC_GEOM,
	ZC_CENTER,
	ZC_RADIUS,
	ZC_SOURCE_CRS,
	ZC_RAW_GEOM,
	ZC_RAW_CENTER,
	ZC_VALID,
	ZC_BSSIDS,
	ZC_COUNT
} ZoneColumn;

static const char *const zone_column_names[ZC_COUNT] = {
	"geom", "center", "radius_m", "source_crs", "raw_geom", "raw_center", "valid", "bssids"
};

/*
 * Normalise a Wi-Fi BSSID to "aa:bb:cc:dd:ee:ff".  Accepts upper or lower
 * case and ':' or '-' separators (or none).  Returns false if it is not a
 * BSSID.
 */
bool
hrguard_normalize_bssid(const char *in, char *out)
{
	int			digits = 0;
	const char *p;
	char	   *o = out;

	for (p = in; *p; p++)
	{
		if (isxdigit((unsigned char) *p))
		{
			if (digits == 12)
				return false;
			if (digits > 0 && digits % 2 == 0)
				*o++ = ':';
			*o++ = (char) tolower((unsigned char) *p);
			digits++;
		}
		else if (*p == ':' || *p == '-')
		{
			if (digits % 2 != 0)
				return false;
		}
		else if (!isspace((unsigned char) *p))
			return false;
	}
	*o = '\0';
	return digits == 12;
}

static Datum
normalize_bssid_array(Datum array)
{
	ArrayType  *arr = DatumGetArrayTypeP(array);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone bssids must be a one-dimensional array")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		char	   *in;
		char		out[18];

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("zone bssids must not contain NULL")));
		in = TextDatumGetCString(elems[i]);
		if (!hrguard_normalize_bssid(in, out))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not a Wi-Fi BSSID", hrguard_echo(in)),
					 errhint("Write a BSSID as six hexadecimal pairs, like 3c:46:d8:0a:1b:2c.")));
		elems[i] = CStringGetTextDatum(out);
	}
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static void
check_srid(int32 srid, const char *what)
{
	if (srid != ZONE_SRID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone %s has SRID %d, expected %d", what, srid, ZONE_SRID),
				 errdetail("Zone coordinates are longitude and latitude in degrees; "
						   "their datum is given by source_crs."),
				 errhint("Use ST_SetSRID(..., 4326), or ST_Transform a projected shape to 4326.")));
}

/* Validate a polygon shape in the source datum and convert it in place. */
static void
convert_polygons(HrguardShape *shape, HrguardDatum datum)
{
	int			p,
				r,
				i;
	int			rings = 0;

	for (p = 0; p < shape->npolygons; p++)
		for (r = 0; r < shape->polygons[p].nrings; r++)
		{
			HrguardRing *ring = &shape->polygons[p].rings[r];

			if (ring->npoints == 0)
				continue;
			rings++;
			if (ring->npoints < 4)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("zone polygon ring has %d points, at least 4 are needed",
								ring->npoints)));
			for (i = 0; i < ring->npoints; i++)
			{
				HrguardXY  *pt = &ring->points[i];

				hrguard_check_lat_lon(pt->y, pt->x, "zone vertex");
				hrguard_to_wgs84(datum, pt->y, pt->x, &pt->y, &pt->x);
			}
		}
	if (rings == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone polygon is empty")));
}

static bool
column_changed(HeapTuple newtup, HeapTuple oldtup, TupleDesc desc, int attnum)
{
	bool		new_null;
	bool		old_null;
	Datum		new_value = heap_getattr(newtup, attnum, desc, &new_null);
	Datum		old_value = heap_getattr(oldtup, attnum, desc, &old_null);
	Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);

	if (new_null || old_null)
		return new_null != old_null;
	return !datumIsEqual(new_value, old_value, att->attbyval, att->attlen);
}

static const char *const zone_tables[] = {"zone", NULL};
static const HrguardTriggerSpec zone_normalize_spec = {
	"hrguard.zone_normalize()", zone_tables, true, HRGUARD_TRIGGER_ROW,
	HRGUARD_ON_INSERT | HRGUARD_ON_UPDATE,
	"a BEFORE INSERT OR UPDATE row trigger on hrguard.zone"
};

/*
 * A polygon zone: the shape as entered (raw_geom, in the zone's datum) must
 * be a valid polygon or multipolygon in SRID 4326; geom gets it in WGS-84.
 */
static void
normalize_polygon(Datum raw_geom, HrguardDatum datum, bool has_radius,
				  Datum *repl_values, bool *repl_nulls)
{
	int32		srid;
	HrguardShape *shape = hrguard_shape_from_ewkb(hrguard_geometry_to_ewkb(raw_geom), &srid);
	Datum		wgs;
	char	   *reason;

	if (shape == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone geom must be a polygon or a multipolygon"),
				 errhint("For a circle, set center and radius_m instead.")));
	check_srid(srid, "geom");
	reason = hrguard_geometry_invalid_reason(raw_geom);
	if (reason != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone polygon is not valid"),
				 errdetail("PostGIS reports, for the shape as entered: %s.", reason),
				 errhint("A zone polygon must not cross itself; holes must lie inside their shell.")));
	if (has_radius)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("radius_m is only for circle zones"),
				 errhint("Leave radius_m NULL for a polygon zone.")));
	convert_polygons(shape, datum);
	wgs = hrguard_geometry_from_ewkb(hrguard_ewkb_from_polygons(shape, ZONE_SRID));
	reason = hrguard_geometry_invalid_reason(wgs);
	if (reason != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone polygon is not valid"),
				 errdetail("PostGIS reports: %s.", reason),
				 errhint("A zone polygon must not cross itself; holes must lie inside their shell.")));
	repl_values[ZC_GEOM] = wgs;
	repl_nulls[ZC_GEOM] = false;
	repl_values[ZC_RAW_GEOM] = raw_geom;
	repl_nulls[ZC_RAW_GEOM] = false;
	repl_nulls[ZC_CENTER] = repl_nulls[ZC_RAW_CENTER] = true;
	repl_values[ZC_CENTER] = repl_values[ZC_RAW_CENTER] = (Datum) 0;
}

/*
 * A circle zone: the center as entered (raw_center, in the zone's datum)
 * must be a point in SRID 4326 with a radius in range; center gets it in
 * WGS-84.
 */
static void
normalize_circle(Datum raw_center, HrguardDatum datum, bool has_radius, double radius,
				 Datum *repl_values, bool *repl_nulls)
{
	int32		srid;
	HrguardXY	pt;

	if (!hrguard_point_from_ewkb(hrguard_geometry_to_ewkb(raw_center), &srid, &pt))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone center must be a point")));
	check_srid(srid, "center");
	if (isnan(pt.x) && isnan(pt.y))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone center is an empty point")));
	hrguard_check_lat_lon(pt.y, pt.x, "zone center");
	if (!has_radius)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("circle zone has no radius_m")));
	if (!(radius > 0.0) || radius > HRGUARD_MAX_RADIUS_M)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone radius %g m is out of range", radius),
				 errdetail("A circle zone's radius must be more than 0 and at most %g m.",
						   HRGUARD_MAX_RADIUS_M)));
	hrguard_to_wgs84(datum, pt.y, pt.x, &pt.y, &pt.x);
	repl_values[ZC_CENTER] = hrguard_geometry_from_ewkb(hrguard_ewkb_from_point(&pt, ZONE_SRID));
	repl_nulls[ZC_CENTER] = false;
	repl_values[ZC_RAW_CENTER] = raw_center;
	repl_nulls[ZC_RAW_CENTER] = false;
	repl_nulls[ZC_GEOM] = repl_nulls[ZC_RAW_GEOM] = true;
	repl_values[ZC_GEOM] = repl_values[ZC_RAW_GEOM] = (Datum) 0;
}

/*
 * The BEFORE INSERT OR UPDATE row trigger of hrguard.zone: the shape taken
 * from the raw columns (or from geom/center when only those changed),
 * checked, and stored in WGS-84 beside the shape as entered; the validity
 * range and the BSSID list checked and normalised.
 */
PG_FUNCTION_INFO_V1(hrguard_zone_normalize);
Datum
hrguard_zone_normalize(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	newtup;
	HeapTuple	oldtup = NULL;
	int			attnum[ZC_COUNT];
	Datum		values[ZC_COUNT];
	bool		isnull[ZC_COUNT];
	Datum		repl_values[ZC_COUNT];
	bool		repl_nulls[ZC_COUNT];
	bool		repl[ZC_COUNT];
	int			cols[ZC_COUNT];
	int			ncols = 0;
	int			c;
	bool		from_raw;
	Datum		raw_geom;
	Datum		raw_center;
	bool		no_geom;
	bool		no_center;
	HrguardDatum datum;

	(void) hrguard_trigger_guard(fcinfo, &zone_normalize_spec);
	/* a restored or replicated zone was normalized where it was first stored */
	if (hrguard_row_passes_through(trigdata))
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
							   trigdata->tg_newtuple : trigdata->tg_trigtuple);

	desc = RelationGetDescr(trigdata->tg_relation);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		newtup = trigdata->tg_newtuple;
		oldtup = trigdata->tg_trigtuple;
	}
	else
		newtup = trigdata->tg_trigtuple;

	for (c = 0; c < ZC_COUNT; c++)
	{
		attnum[c] = SPI_fnumber(desc, zone_column_names[c]);
		if (attnum[c] <= 0)
			hrguard_missing_column("zone", zone_column_names[c]);
		values[c] = heap_getattr(newtup, attnum[c], desc, &isnull[c]);
		repl[c] = false;
	}
	hrguard_postgis_prepare(TupleDescAttr(desc, attnum[ZC_GEOM] - 1)->atttypid);

	/* where does the shape come from: the raw columns, or geom/center? */
	if (oldtup == NULL)
		from_raw = !isnull[ZC_RAW_GEOM] || !isnull[ZC_RAW_CENTER];
	else if (column_changed(newtup, oldtup, desc, attnum[ZC_RAW_GEOM]) ||
			 column_changed(newtup, oldtup, desc, attnum[ZC_RAW_CENTER]))
		from_raw = true;
	else
		from_raw = !(column_changed(newtup, oldtup, desc, attnum[ZC_GEOM]) ||
					 column_changed(newtup, oldtup, desc, attnum[ZC_CENTER]));

	raw_geom = values[from_raw ? ZC_RAW_GEOM : ZC_GEOM];
	no_geom = isnull[from_raw ? ZC_RAW_GEOM : ZC_GEOM];
	raw_center = values[from_raw ? ZC_RAW_CENTER : ZC_CENTER];
	no_center = isnull[from_raw ? ZC_RAW_CENTER : ZC_CENTER];

	if (no_geom == no_center)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(no_geom ? "zone has no shape" : "zone has both a polygon and a circle"),
				 errdetail("A zone is either a polygon (geom) or a circle (center and radius_m)."),
				 errhint("Set exactly one of geom and center.")));

	if (isnull[ZC_SOURCE_CRS])
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("source_crs of a zone must not be null"),
				 errhint("Give the datum the zone was drawn in: wgs84, gcj02 or bd09.")));
	datum = hrguard_datum_or_error(TextDatumGetCString(values[ZC_SOURCE_CRS]));

	if (!no_geom)
		normalize_polygon(raw_geom, datum, !isnull[ZC_RADIUS], repl_values, repl_nulls);
	else
		normalize_circle(raw_center, datum, !isnull[ZC_RADIUS],
						 isnull[ZC_RADIUS] ? NAN : DatumGetFloat8(values[ZC_RADIUS]),
						 repl_values, repl_nulls);
	repl[ZC_GEOM] = repl[ZC_CENTER] = repl[ZC_RAW_GEOM] = repl[ZC_RAW_CENTER] = true;

	if (!isnull[ZC_VALID] && RangeIsEmpty(DatumGetRangeTypeP(values[ZC_VALID])))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone validity range is empty"),
				 errhint("Use NULL for a zone that is always valid.")));

	if (!isnull[ZC_BSSIDS])
	{
		repl_values[ZC_BSSIDS] = normalize_bssid_array(values[ZC_BSSIDS]);
		repl_nulls[ZC_BSSIDS] = false;
		repl[ZC_BSSIDS] = true;
	}

	for (c = 0; c < ZC_COUNT; c++)
		if (repl[c])
		{
			cols[ncols] = attnum[c];
			repl_values[ncols] = repl_values[c];
			repl_nulls[ncols] = repl_nulls[c];
			ncols++;
		}
	newtup = heap_modify_tuple_by_cols(newtup, desc, ncols, cols, repl_values, repl_nulls);
	return PointerGetDatum(newtup);
}
