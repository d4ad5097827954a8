/* SPDX-License-Identifier: ISC */
/*
 * fmt_table: aligned tables and "label: value" lists.  See fmt.h.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "fmt.h"

#define FMT_MAXCOLS	32	/* more columns than this are left out */

/* Columns on a terminal: UTF-8 code points, not bytes. */
static size_t
fmt_width(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
fmt_pad(FILE *out, size_t n)
{
	while (n-- > 0)
		fputc(' ', out);
}

static int
fmt_right(enum fmt_kind kind)
{
	return kind != FMT_STR && kind != FMT_BOOL && kind != FMT_TIME_MS &&
	    kind != FMT_ANY && kind != FMT_LOCAL_MS;
}

/* Each column's width: its widest cell, header included. */
static void
fmt_widths(const struct fmt_field *cols, size_t ncols, json_t *rows,
    size_t *width)
{
	char		 buf[FMT_CELL_LEN];
	json_t		*row;
	size_t		 c, i, w;

	for (c = 0; c < ncols; c++)
		width[c] = fmt_width(cols[c].label);
	json_array_foreach(rows, i, row) {
		for (c = 0; c < ncols; c++) {
			w = fmt_width(fmt_value(row, &cols[c], buf));
			if (w > width[c])
				width[c] = w;
		}
	}
}

/* One line of the table; the header if row is NULL. */
static void
fmt_row(FILE *out, const struct fmt_field *cols, size_t ncols,
    const json_t *row, const size_t *width)
{
	char		 buf[FMT_CELL_LEN];
	const char	*s;
	size_t		 c, pad;

	for (c = 0; c < ncols; c++) {
		s = row == NULL ? cols[c].label :
		    fmt_value(row, &cols[c], buf);
		pad = width[c] - fmt_width(s);
		if (c > 0)
			fputs(FMT_SEP, out);
		if (fmt_right(cols[c].kind))
			fmt_pad(out, pad);
		fmt_put(out, s);
		if (!fmt_right(cols[c].kind) && c + 1 < ncols)
			fmt_pad(out, pad);
	}
	fputc('\n', out);
}

void
fmt_table(FILE *out, const struct fmt_field *cols, size_t ncols,
    json_t *rows)
{
	size_t		 width[FMT_MAXCOLS];
	json_t		*row;
	size_t		 i;

	if (ncols > FMT_MAXCOLS)
		ncols = FMT_MAXCOLS;
	if (!json_is_array(rows))
		rows = NULL;
	fmt_widths(cols, ncols, rows, width);
	fmt_row(out, cols, ncols, NULL, width);
	json_array_foreach(rows, i, row)
		fmt_row(out, cols, ncols, row, width);
}

/* Whether `key` is one of the fields' keys. */
static int
fmt_known(const struct fmt_field *fields, size_t n, const char *key)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i].key, key) == 0)
			return 1;
	return 0;
}

/* One "label: value" line, the value starting at column width + 2. */
static void
fmt_pair(FILE *out, const char *label, const char *value, size_t width)
{
	fmt_put(out, label);
	fputc(':', out);
	fmt_pad(out, width - fmt_width(label) + 1);
	fmt_put(out, value);
	fputc('\n', out);
}

void
fmt_pairs(FILE *out, const struct fmt_field *fields, size_t n,
    json_t *obj, int extras)
{
	char		 buf[FMT_CELL_LEN];
	const char	*key;
	json_t		*v;
	size_t		 i, w, width = 0;

	for (i = 0; i < n; i++)
		if ((w = fmt_width(fields[i].label)) > width)
			width = w;
	if (extras && json_is_object(obj)) {
		json_object_foreach(obj, key, v)
			if (!fmt_known(fields, n, key) &&
			    !json_is_array(v) && !json_is_object(v) &&
			    (w = fmt_width(key)) > width)
				width = w;
	}
	for (i = 0; i < n; i++)
		fmt_pair(out, fields[i].label,
		    fmt_value(obj, &fields[i], buf), width);
	if (!extras || !json_is_object(obj))
		return;
	json_object_foreach(obj, key, v) {
		if (fmt_known(fields, n, key) || json_is_array(v) ||
		    json_is_object(v))
			continue;
		fmt_pair(out, key, json_is_null(v) ? "-" : fmt_any(v, buf),
		    width);
	}
}
