/* SPDX-License-Identifier: ISC */
/*
 * fmt: ballastctl's output for people.  Turns the balancer's JSON API
 * answers into aligned text: tables (one row per host or VM) and
 * "key: value" lists (status, one host, one VM).
 *
 * Every function here is pure: it reads a jansson value, writes to the
 * FILE * it is given and keeps no state, so it can be tested against a
 * memory stream without a server.  Nothing trusts the JSON: a missing
 * member, a member of the wrong type or a row that is not an object
 * prints "-", never crashes.  Control bytes in strings print as '?'.
 *
 * The values are never modified; most functions take a plain json_t *
 * only because jansson's object iterator wants one.
 *
 * The values and safe writing are in fmt.c, the tables and lists in
 * fmt_table.c, and the views of ballastctl's commands in fmt_hosts.c
 * (status, hosts, vms), fmt_plan.c (plan), fmt_migrate.c (migrations,
 * maintenance) and fmt_policy.c (policy); traffic in fmt_traffic.h.
 */
#ifndef BALLAST_CTL_FMT_H
#define BALLAST_CTL_FMT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* How one member is rendered. */
enum fmt_kind {
	FMT_STR,	/* non-empty string, as is */
	FMT_INT,	/* integer, right-aligned */
	FMT_REAL0,	/* number rounded to an integer, e.g. MHz */
	FMT_PCT,	/* fraction 0..1 as a percentage, "43.2%" */
	FMT_BYTES,	/* byte count in binary units, "1.5 GiB" */
	FMT_RATE,	/* bytes per second, "1.5 MiB/s" */
	FMT_BOOL,	/* true/false as "yes"/"no" */
	FMT_AGE,	/* seconds as "4.2s", "3m05s", "2h07m" or "3d04h" */
	FMT_TIME_MS,	/* Unix time in ms as UTC "2024-05-01T12:00:00.123Z" */
	FMT_ANY,	/* any scalar in its natural form */
	FMT_LOCAL_MS,	/* Unix time in ms as local "2024-05-01 14:00:00";
			   0 or less (the API's "not yet") as "-" */
	FMT_SECS,	/* seconds: under 1 s as "30ms", else as FMT_AGE */
	FMT_REAL3,	/* number with three decimals, "0.214" */
	FMT_PERMILLE,	/* 0..1000 as a percentage, "45.3%" */
	FMT_PCT_PAIR	/* members KEY_before and KEY_after, fractions, as
			   "91.0%->72.5%"; a missing side as "-" */
};

/*
 * One table column or one line of a key: value list.  `key` may name
 * alternatives, "error|outcome": the first that renders as other than
 * "-" is shown.  For FMT_PCT_PAIR it is the members' common stem.
 */
struct fmt_field {
	const char	*label;		/* column title or line key */
	const char	*key;		/* member of the JSON object */
	enum fmt_kind	 kind;
};

/* Room for any rendering but FMT_STR, which points into the JSON. */
#define FMT_CELL_LEN	64

/* The number of elements of the array `a` (a table of fields). */
#define FMT_NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Between two columns of a table or two items of a summary line. */
#define FMT_SEP		"  "

/*
 * Renders member f->key of `obj` (which may be NULL or not an object)
 * as f->kind says.  Returns a string valid until `buf` is reused or
 * `obj` is freed: either the JSON string itself or `buf`, or "-" when
 * the member is missing, null, empty or of the wrong type.
 */
const char	*fmt_value(const json_t *obj, const struct fmt_field *f,
		    char buf[FMT_CELL_LEN]);

/*
 * Writes `bytes` in binary units into buf: "512 B", "1.5 KiB", ...
 * "2.0 EiB"; `suffix` (may be NULL) follows the unit, e.g. "/s".
 * Negative or non-finite input gives "-".
 */
void	fmt_bytes(char *buf, size_t len, double bytes, const char *suffix);

/* Writes a duration in seconds the way FMT_AGE does. */
void	fmt_age(char *buf, size_t len, double secs);

/* Copies src into dst (bounded, terminated), control bytes as '?'. */
void	fmt_sanitize(char *dst, size_t len, const char *src);

/*
 * Renders any scalar `v` in its natural form: a string as is, true and
 * false as "yes" and "no", numbers into `buf`; "-" for an empty string,
 * null, an array or an object.  Valid as long as fmt_value's result.
 */
const char	*fmt_any(const json_t *v, char buf[FMT_CELL_LEN]);

/* Writes s with control bytes (escape sequences, newlines) as '?'. */
void	fmt_put(FILE *out, const char *s);

/*
 * Writes text that may have several lines: control bytes but tabs and
 * newlines as '?', every line after the first preceded by `indent`.
 * Trailing line ends are dropped; one newline ends the text.
 */
void	fmt_put_text(FILE *out, const char *s, const char *indent);

/*
 * Writes a table: a header line of the labels, then one line per
 * element of the array `rows`.  Columns are separated by two spaces
 * and as wide as their widest cell; numbers are right-aligned, text
 * left-aligned, and lines carry no trailing blanks.  A `rows` that is
 * not an array prints the header only.
 */
void	fmt_table(FILE *out, const struct fmt_field *cols, size_t ncols,
	    json_t *rows);

/*
 * Writes one "label: value" line per field with the values aligned.
 * If `extras` is set, scalar members of `obj` that no field names
 * follow under their own key (newer servers may add some).
 */
void	fmt_pairs(FILE *out, const struct fmt_field *fields, size_t n,
	    json_t *obj, int extras);

/*
 * The views of ballastctl.  Each returns 0, or -1 when the JSON is not
 * of the expected top-level type (the caller reports that); nothing is
 * written then.
 */
int	fmt_status(FILE *out, json_t *status);	/* object */
int	fmt_hosts(FILE *out, json_t *hosts);	/* array */
int	fmt_host(FILE *out, json_t *host);	/* object, with "vm_list" */
int	fmt_vms(FILE *out, json_t *vms);	/* array */
int	fmt_vm(FILE *out, json_t *vm);		/* object */

/*
 * GET /api/v1/plan (an object): a summary line (mode, passes, hot
 * hosts, unrelieved, imbalance before -> after), a blank line and the
 * table of "recommendations", or "no recommendations".
 */
int	fmt_plan(FILE *out, json_t *plan);

/*
 * GET /api/v1/plan/explain (an object): fmt_plan, then the sections
 * "Explanations:" (each recommendation's "explain" text under its id,
 * its rule if it has one), "Notes:" and "Rejected candidates" (a VM,
 * TO, WHY table, with "rejected_total" when more were rejected than
 * listed).  An empty section says "none".
 */
int	fmt_plan_explain(FILE *out, json_t *plan);

/*
 * GET /api/v1/migrations (an array, newest first): ID STATE VM FROM TO
 * REASON PROGRESS WHEN ERROR/OUTCOME, WHEN being "planned_at" in local
 * time and the last column "error", else "outcome".
 */
int	fmt_migrations(FILE *out, json_t *migrations);

/* GET /api/v1/maintenance (an array of host names): a HOST column. */
int	fmt_maintenance(FILE *out, json_t *hosts);

/*
 * GET /api/v1/policy (an object): one "# " comment line on the file,
 * mode and last reload (its time in local time, its error if it
 * failed), then the policy's "text" as is but for control bytes, so
 * that the output reads back as a policy file.
 */
int	fmt_policy(FILE *out, json_t *policy);

/*
 * One migration of GET /api/v1/migrations as a progress line into buf:
 * "migration 42: migrating 45.3%" ("-" for a missing id or state; no
 * percentage without "progress").  Control bytes are '?'.
 */
void	fmt_progress(char *buf, size_t len, const json_t *migration);

/*
 * Returns a new array of the elements of `vms` whose "host" member is
 * the string `host`, in their order (the caller json_decref()s it), or
 * NULL if `vms` is not an array or memory ran out.
 */
json_t	*fmt_vms_on_host(json_t *vms, const char *host);

#endif
