/* SPDX-License-Identifier: ISC */
/*
 * fmt_migrate: the views of the migrations, of one migration's
 * progress and of the hosts in maintenance.  See fmt.h.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "fmt.h"

static const struct fmt_field migration_cols[] = {
	{ "ID",			"id",			FMT_INT },
	{ "STATE",		"state",		FMT_STR },
	{ "VM",			"vm|vm_uuid",		FMT_STR },
	{ "FROM",		"from",			FMT_STR },
	{ "TO",			"to",			FMT_STR },
	{ "REASON",		"reason",		FMT_STR },
	{ "PROGRESS",		"progress",		FMT_PERMILLE },
	{ "WHEN",		"planned_at",		FMT_LOCAL_MS },
	{ "ERROR/OUTCOME",	"error|outcome",	FMT_STR },
};

int
fmt_migrations(FILE *out, json_t *migrations)
{
	if (!json_is_array(migrations))
		return -1;
	fmt_table(out, migration_cols, FMT_NITEMS(migration_cols), migrations);
	return 0;
}

int
fmt_maintenance(FILE *out, json_t *hosts)
{
	json_t	*h;
	size_t	 i;

	if (!json_is_array(hosts))
		return -1;
	fputs("HOST\n", out);
	json_array_foreach(hosts, i, h) {
		fmt_put(out, json_is_string(h) && json_string_length(h) > 0 ?
		    json_string_value(h) : "-");
		fputc('\n', out);
	}
	return 0;
}

void
fmt_progress(char *buf, size_t len, const json_t *migration)
{
	static const struct fmt_field id = { "ID", "id", FMT_INT };
	static const struct fmt_field state = { "STATE", "state", FMT_STR };
	static const struct fmt_field progress =
	    { "PROGRESS", "progress", FMT_PERMILLE };
	char		 b1[FMT_CELL_LEN], b2[FMT_CELL_LEN], b3[FMT_CELL_LEN];
	char		 st[FMT_CELL_LEN];
	const char	*pct;

	fmt_sanitize(st, sizeof(st), fmt_value(migration, &state, b2));
	pct = fmt_value(migration, &progress, b3);
	if (strcmp(pct, "-") == 0)
		snprintf(buf, len, "migration %s: %s",
		    fmt_value(migration, &id, b1), st);
	else
		snprintf(buf, len, "migration %s: %s %s",
		    fmt_value(migration, &id, b1), st, pct);
}
