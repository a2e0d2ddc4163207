/*-------------------------------------------------------------------------
 *
 * case_check.h
 *	  What ties a case package's stated case and steps to its custody and
 *	  evidence packages (case_check.c).
 *
 * IDENTIFICATION
 *	  src/verify/case_check.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_VERIFY_CASE_CHECK_H
#define HRGUARD_VERIFY_CASE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "hashes.h"
#include "package.h"

#define CASE_PACKAGE_FORMAT "hrguard-case-package/1"

/* whether the text is a case package (by a scan; by reading it whole) */
extern bool is_case_package(const char *text, size_t len);
extern bool is_case_json(const char *text, size_t len);

/*
 * After both packages verified: the custody package is the case's chain
 * and the evidence package its employee's, both under the checkpoint the
 * case package names; every step stated is the entry of the custody chain
 * of its number, and every entry of the employee's chain a step attached
 * is, where the evidence package holds it, that entry.  Fails (exits) on
 * the first that does not hold.
 */
extern void check_case(Hasher *hasher, json_t *outer, const Package *custody,
					   const Package *evidence);

#endif							/* HRGUARD_VERIFY_CASE_CHECK_H */
