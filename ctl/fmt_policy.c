/* SPDX-License-Identifier: ISC */
/*
 * fmt_policy: the view of the policy in force.  See fmt.h.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "fmt.h"

/*
 * ": last reload ok at TIME" or "...failed at TIME: ERROR; ...", without
 * " at TIME" if the time is missing or 0; nothing without "ok".
 */
static void
fmt_reload(FILE *out, const json_t *reload)
{
	static const struct fmt_field time = { "time", "time", FMT_LOCAL_MS };
	static const struct fmt_field error = { "error", "error", FMT_STR };
	const json_t	*ok;
	const char	*t;
	char		 buf[FMT_CELL_LEN];

	ok = json_is_object(reload) ? json_object_get(reload, "ok") : NULL;
	if (!json_is_boolean(ok))
		return;
	fputs(": last reload ", out);
	fputs(json_is_true(ok) ? "ok" : "failed", out);
	if (strcmp(t = fmt_value(reload, &time, buf), "-") != 0) {
		fputs(" at ", out);
		fmt_put(out, t);
	}
	if (json_is_true(ok))
		return;
	fputs(": ", out);
	fmt_put(out, fmt_value(reload, &error, buf));
	fputs("; the policy below stays in force", out);
}

int
fmt_policy(FILE *out, json_t *policy)
{
	static const struct fmt_field file = { "file", "file", FMT_STR };
	static const struct fmt_field mode = { "mode", "mode", FMT_STR };
	static const struct fmt_field text = { "text", "text", FMT_STR };
	char		 buf[FMT_CELL_LEN];
	const char	*s;

	if (!json_is_object(policy))
		return -1;
	fputs("# ", out);
	if (strcmp(s = fmt_value(policy, &file, buf), "-") == 0)
		s = "the built-in default policy";
	fmt_put(out, s);
	fputs(" (mode ", out);
	fmt_put(out, fmt_value(policy, &mode, buf));
	fputc(')', out);
	fmt_reload(out, json_object_get(policy, "reload"));
	fputc('\n', out);
	if (strcmp(s = fmt_value(policy, &text, buf), "-") != 0)
		fmt_put_text(out, s, "");
	return 0;
}
