/*-------------------------------------------------------------------------
 *
 * case_html.h
 *	  hrguard-verify --html: the case report of a verified case package,
 *	  the page hrguard.case_report() makes in the database, drawn offline
 *	  (case_html.c, and its map, case_map.c).
 *
 * IDENTIFICATION
 *	  src/verify/case_html.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_VERIFY_CASE_HTML_H
#define HRGUARD_VERIFY_CASE_HTML_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "package.h"

/*
 * Writes the page of a case package whose custody and evidence packages
 * verified (with the exit status given) to a file, or to standard output
 * for "-".  Exits as unreadable if the file cannot be written.
 */
extern void write_case_html(const char *path, json_t *outer, const Package *custody,
							const Package *evidence, int status);

/* a text as HTML text or attribute value (NULL as nothing), as hrguard.html() writes it */
extern void html_text(FILE *out, const char *text);

/* a time (microseconds since 1970 UTC) to the minute in the page's time zone */
extern void local_minute(int64_t us, char out[32]);

/* a number as PostgreSQL's round(x::numeric, 1) writes it */
extern void write_tenths(FILE *out, double x);

/*
 * The map: the punches the evidence package holds against the zones the
 * package states (its member "report"), as hrguard.case_report_map()
 * draws them.
 */
extern void write_case_map(FILE *out, const Package *evidence, json_t *zones,
						   const char *employee_id, const char *tenant_id,
						   int64_t since, int64_t until);

#endif							/* HRGUARD_VERIFY_CASE_HTML_H */
