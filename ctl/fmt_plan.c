/* SPDX-License-Identifier: ISC */
/*
 * fmt_plan: the views of the plan and of its explanation.  See fmt.h.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "fmt.h"

#define FMT_INDENT	"    "	/* a continued line of explain or note text */

static const struct fmt_field plan_summary[] = {
	{ "mode",	"mode",		FMT_STR },
	{ "passes",	"passes",	FMT_INT },
	{ "hot hosts",	"hot_hosts",	FMT_INT },
	{ "unrelieved",	"unrelieved",	FMT_INT },
};

static const struct fmt_field rec_cols[] = {
	{ "ID",		"id",			FMT_INT },
	{ "STATE",	"state",		FMT_STR },
	{ "VM",		"vm|vm_uuid",		FMT_STR },
	{ "FROM",	"from",			FMT_STR },
	{ "TO",		"to",			FMT_STR },
	{ "REASON",	"reason",		FMT_STR },
	{ "SRC%",	"src",			FMT_PCT_PAIR },
	{ "DST%",	"dst",			FMT_PCT_PAIR },
	{ "TIME",	"predicted_time_s",	FMT_SECS },
	{ "DOWNTIME",	"predicted_downtime_s",	FMT_SECS },
};

static const struct fmt_field reject_cols[] = {
	{ "VM",		"vm",		FMT_STR },
	{ "TO",		"to",		FMT_STR },
	{ "WHY",	"why",		FMT_STR },
};

/* "mode: approve  passes: 12  ...  imbalance: 0.214 -> 0.102" */
static void
fmt_plan_summary(FILE *out, json_t *plan)
{
	static const struct fmt_field before =
	    { "imbalance", "imbalance_before", FMT_REAL3 };
	static const struct fmt_field after =
	    { "imbalance", "imbalance_after", FMT_REAL3 };
	char	 buf[FMT_CELL_LEN];
	size_t	 i;

	for (i = 0; i < FMT_NITEMS(plan_summary); i++) {
		fmt_put(out, plan_summary[i].label);
		fputs(": ", out);
		fmt_put(out, fmt_value(plan, &plan_summary[i], buf));
		fputs(FMT_SEP, out);
	}
	fputs("imbalance: ", out);
	fmt_put(out, fmt_value(plan, &before, buf));
	fputs(" -> ", out);
	fmt_put(out, fmt_value(plan, &after, buf));
	fputc('\n', out);
}

/* The summary, a blank line and the recommendations; see fmt.h. */
static void
fmt_plan_body(FILE *out, json_t *plan)
{
	json_t	*recs;

	fmt_plan_summary(out, plan);
	fputc('\n', out);
	recs = json_object_get(plan, "recommendations");
	if (json_is_array(recs) && json_array_size(recs) > 0)
		fmt_table(out, rec_cols, FMT_NITEMS(rec_cols), recs);
	else
		fputs("no recommendations\n", out);
}

/* "  17: text" or "  17 (rule NAME): text", continued lines indented. */
static void
fmt_explanation(FILE *out, json_t *rec)
{
	static const struct fmt_field id = { "ID", "id", FMT_INT };
	static const struct fmt_field rule = { "rule", "rule", FMT_STR };
	static const struct fmt_field text = { "explain", "explain", FMT_STR };
	char		 buf[FMT_CELL_LEN];
	const char	*r;

	fputs("  ", out);
	fmt_put(out, fmt_value(rec, &id, buf));
	if (strcmp(r = fmt_value(rec, &rule, buf), "-") != 0) {
		fputs(" (rule ", out);
		fmt_put(out, r);
		fputc(')', out);
	}
	fputs(": ", out);
	fmt_put_text(out, fmt_value(rec, &text, buf), FMT_INDENT);
}

/* "Explanations:" and "Notes:", each entry on its own line. */
static void
fmt_plan_texts(FILE *out, json_t *plan)
{
	json_t	*recs, *notes, *v;
	size_t	 i;

	fputs("\nExplanations:\n", out);
	recs = json_object_get(plan, "recommendations");
	if (!json_is_array(recs) || json_array_size(recs) == 0)
		fputs("  none\n", out);
	json_array_foreach(recs, i, v)
		fmt_explanation(out, v);

	fputs("\nNotes:\n", out);
	notes = json_object_get(plan, "notes");
	if (!json_is_array(notes) || json_array_size(notes) == 0)
		fputs("  none\n", out);
	json_array_foreach(notes, i, v) {
		fputs("  ", out);
		fmt_put_text(out, json_is_string(v) &&
		    json_string_length(v) > 0 ? json_string_value(v) : "-",
		    FMT_INDENT);
	}
}

/* "Rejected candidates (2 of 12):" and their table, or ": none". */
static void
fmt_plan_rejected(FILE *out, json_t *plan)
{
	json_t		*rej, *tot;
	size_t		 n;
	long long	 total;

	rej = json_object_get(plan, "rejected");
	n = json_is_array(rej) ? json_array_size(rej) : 0;
	tot = json_object_get(plan, "rejected_total");
	total = json_is_integer(tot) ? (long long)json_integer_value(tot) : 0;
	if (n == 0 && total <= 0) {
		fputs("\nRejected candidates: none\n", out);
		return;
	}
	if (total > (long long)n)
		fprintf(out, "\nRejected candidates (%zu of %lld):\n", n,
		    total);
	else
		fprintf(out, "\nRejected candidates (%zu):\n", n);
	fmt_table(out, reject_cols, FMT_NITEMS(reject_cols), rej);
}

int
fmt_plan(FILE *out, json_t *plan)
{
	if (!json_is_object(plan))
		return -1;
	fmt_plan_body(out, plan);
	return 0;
}

int
fmt_plan_explain(FILE *out, json_t *plan)
{
	if (!json_is_object(plan))
		return -1;
	fmt_plan_body(out, plan);
	fmt_plan_texts(out, plan);
	fmt_plan_rejected(out, plan);
	return 0;
}
