/* SPDX-License-Identifier: ISC */
/*
 * trace_csv: parses one GWA-T-12 Bitbrains per-VM CSV file onto fixed
 * slots (trace_parse_csv in trace.h).
 *
 * The file's text is parsed in place: a field is copied into a small
 * stack buffer only to terminate it for the checked number parsers, so
 * there is no allocation per row.  A VM's arrays start at its first
 * usable row's slot and grow by doubling; the loader (trace.c)
 * re-aligns them on the set's common slot0.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "trace.h"
#include "trace_priv.h"
#include "util.h"

#define TRACE_NFIELDS	11		/* columns of a Bitbrains row */
#define TRACE_FIELD_MAX	64		/* longest field text accepted */
#define TRACE_MAX_CORES	4096
#define TRACE_MAX_TS	9.0e15		/* |timestamp| accepted as double */

/* Columns of a row, in file order. */
enum trace_col {
	COL_TS = 0, COL_CORES, COL_CPU_CAP, COL_CPU_MHZ, COL_CPU_PCT,
	COL_MEM_CAP, COL_MEM_KB, COL_DISK_RD, COL_DISK_WR, COL_NET_RX,
	COL_NET_TX
};

/* Column of each metric. */
static const enum trace_col trace_metric_col[TRACE_NMETRICS] = {
	COL_CPU_MHZ, COL_MEM_KB, COL_DISK_RD, COL_DISK_WR, COL_NET_RX,
	COL_NET_TX
};

/* What one line turned out to be. */
enum trace_kind {
	ROW_BLANK, ROW_HEADER, ROW_OK, ROW_BAD, ROW_NEGATIVE
};

struct trace_span {
	const char	*p;
	size_t		 n;
};

struct trace_row {
	int64_t		 ts;
	unsigned	 cores;
	double		 cpu_cap;
	double		 mem_cap;
	float		 v[TRACE_NMETRICS];
};

/* One file being parsed into a VM. */
struct trace_csv {
	struct trace_vm		*vm;
	struct trace_stats	*st;
	unsigned		 slot_s;
	size_t			 hint;	/* first allocation, in slots */
	int			 any;	/* a row has set a slot */
	int64_t			 first;	/* slot of the first usable row */
	int64_t			 last;	/* slot of the latest usable row */
	size_t			 cap;	/* slots allocated from first */
};


void
trace_vm_release(struct trace_vm *vm)
{
	int	 m;

	for (m = 0; m < TRACE_NMETRICS; m++) {
		free(vm->v[m]);
		vm->v[m] = NULL;
	}
	free(vm->present);
	vm->present = NULL;
}

/*
 * Resizes a VM's arrays from `from` to `to` slots, zeroing any new
 * slots.  On -ENOMEM some arrays may be resized; trace_vm_release()
 * still frees them all.
 */
static int
trace_vm_resize(struct trace_vm *vm, size_t from, size_t to)
{
	void	*p;
	int	 m;

	for (m = 0; m < TRACE_NMETRICS; m++) {
		if ((p = realloc(vm->v[m], to * sizeof(float))) == NULL)
			return -ENOMEM;
		vm->v[m] = p;
		if (to > from)
			memset(vm->v[m] + from, 0, (to - from) * sizeof(float));
	}
	if ((p = realloc(vm->present, to)) == NULL)
		return -ENOMEM;
	vm->present = p;
	if (to > from)
		memset(vm->present + from, 0, to - from);
	return 0;
}

/* Strips blanks and carriage returns from both ends of a span. */
static struct trace_span
trace_trim(const char *p, size_t n)
{
	struct trace_span	 s;

	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\r'))
		n--;
	s.p = p;
	s.n = n;
	return s;
}

/*
 * Splits a line on ';' into at most `max` trimmed fields.  Returns the
 * number of fields in the line, which may exceed max.
 */
static size_t
trace_split(const char *line, size_t len, struct trace_span *f, size_t max)
{
	const char	*end = line + len, *sep;
	size_t		 n = 0;

	for (;;) {
		sep = memchr(line, ';', (size_t)(end - line));
		if (sep == NULL)
			sep = end;
		if (n < max)
			f[n] = trace_trim(line, (size_t)(sep - line));
		n++;
		if (sep == end)
			return n;
		line = sep + 1;
	}
}

/* Copies a field into buf as a C string.  0, or -EINVAL when too long. */
static int
trace_field_str(struct trace_span f, char buf[TRACE_FIELD_MAX])
{
	if (f.n == 0 || f.n >= TRACE_FIELD_MAX)
		return -EINVAL;
	memcpy(buf, f.p, f.n);
	buf[f.n] = '\0';
	return 0;
}

/*
 * Parses a field as a double.  0; -EINVAL when it is not a number;
 * -ERANGE when it is negative, not finite or does not fit a float.
 */
static int
trace_field_double(struct trace_span f, double *out)
{
	char	 buf[TRACE_FIELD_MAX];
	int	 rc;

	if (trace_field_str(f, buf) != 0)
		return -EINVAL;
	if ((rc = util_parse_double(buf, -DBL_MAX, DBL_MAX, out)) != 0)
		return rc;
	if (*out < 0 || *out > FLT_MAX)
		return -ERANGE;
	return 0;
}

/* Parses the timestamp field (integer seconds, or a decimal form). */
static int
trace_field_ts(struct trace_span f, int64_t *out)
{
	char	 buf[TRACE_FIELD_MAX];
	double	 d;
	int	 rc;

	if (trace_field_str(f, buf) != 0)
		return -EINVAL;
	if (util_parse_i64(buf, INT64_MIN, INT64_MAX, out) == 0)
		return *out < 0 ? -ERANGE : 0;
	if ((rc = util_parse_double(buf, -DBL_MAX, DBL_MAX, &d)) != 0)
		return rc;
	if (d < 0)
		return -ERANGE;
	if (d > TRACE_MAX_TS)
		return -EINVAL;
	*out = (int64_t)floor(d);
	return 0;
}

/* Fills a row from 11 fields.  ROW_OK, ROW_BAD or ROW_NEGATIVE. */
static enum trace_kind
trace_fill_row(const struct trace_span *f, struct trace_row *r)
{
	double	 d[TRACE_NFIELDS];
	int	 i, rc, neg = 0;

	if ((rc = trace_field_ts(f[COL_TS], &r->ts)) == -EINVAL)
		return ROW_BAD;
	neg |= rc != 0;
	for (i = COL_CORES; i < TRACE_NFIELDS; i++) {
		if ((rc = trace_field_double(f[i], &d[i])) == -EINVAL)
			return ROW_BAD;
		neg |= rc != 0;
	}
	if (neg)
		return ROW_NEGATIVE;
	if (d[COL_CORES] > TRACE_MAX_CORES)
		return ROW_BAD;
	r->cores = (unsigned)d[COL_CORES];
	r->cpu_cap = d[COL_CPU_CAP];
	r->mem_cap = d[COL_MEM_CAP];
	for (i = 0; i < TRACE_NMETRICS; i++)
		r->v[i] = (float)d[trace_metric_col[i]];
	return ROW_OK;
}

/* Classifies and, for a data row, parses one line (no newline). */
static enum trace_kind
trace_parse_line(const char *line, size_t len, struct trace_row *r)
{
	struct trace_span	 f[TRACE_NFIELDS];
	struct trace_span	 all = trace_trim(line, len);
	size_t			 n;

	if (all.n == 0)
		return ROW_BLANK;
	if (all.n >= 9 && strncasecmp(all.p, "Timestamp", 9) == 0)
		return ROW_HEADER;
	n = trace_split(all.p, all.n, f, TRACE_NFIELDS);
	if (n != TRACE_NFIELDS)
		return ROW_BAD;
	return trace_fill_row(f, r);
}

/* Makes room for slot offset `off` of the VM being parsed. */
static int
trace_csv_reserve(struct trace_csv *cs, size_t off)
{
	size_t	 to;

	if (off < cs->cap)
		return 0;
	to = cs->cap > 0 ? cs->cap * 2 : cs->hint;
	if (to <= off)
		to = off + 1;
	if (to > TRACE_MAX_SLOTS)
		to = TRACE_MAX_SLOTS;
	if (trace_vm_resize(cs->vm, cs->cap, to) != 0)
		return -ENOMEM;
	cs->cap = to;
	return 0;
}

/*
 * Stores a usable row in its slot: a row before the latest slot is
 * out of order; one too far from the first slot is implausible and
 * counted as a bad field.  Returns 0 or -ENOMEM.
 */
static int
trace_csv_put(struct trace_csv *cs, const struct trace_row *r)
{
	struct trace_vm	*vm = cs->vm;
	int64_t		 slot = r->ts / cs->slot_s;
	size_t		 off;
	int		 m;

	if (cs->any && slot < cs->last) {
		cs->st->out_of_order++;
		return 0;
	}
	if (cs->any && (uint64_t)(slot - cs->first) >= TRACE_MAX_SLOTS) {
		cs->st->bad_fields++;
		return 0;
	}
	if (!cs->any)
		cs->first = slot;
	off = (size_t)(slot - cs->first);
	if (trace_csv_reserve(cs, off) != 0)
		return -ENOMEM;
	cs->any = 1;
	cs->last = slot;
	for (m = 0; m < TRACE_NMETRICS; m++)
		vm->v[m][off] = r->v[m];
	vm->present[off] = 1;
	if (r->cores == 0)
		cs->st->zero_cores++;
	else
		vm->cores = r->cores;
	if (r->cpu_cap > 0)
		vm->cpu_cap_mhz = r->cpu_cap;
	if (r->mem_cap > 0)
		vm->mem_cap_kb = r->mem_cap;
	cs->st->used++;
	return 0;
}

/* Handles one line of the file being parsed.  0 or -ENOMEM. */
static int
trace_csv_line(struct trace_csv *cs, const char *line, size_t len)
{
	struct trace_row	 r;

	switch (trace_parse_line(line, len, &r)) {
	case ROW_BLANK:
	case ROW_HEADER:
		return 0;
	case ROW_BAD:
		cs->st->rows++;
		cs->st->bad_fields++;
		return 0;
	case ROW_NEGATIVE:
		cs->st->rows++;
		cs->st->negative++;
		return 0;
	case ROW_OK:
		break;
	}
	cs->st->rows++;
	return trace_csv_put(cs, &r);
}

/*
 * Only v, present, cores, cpu_cap_mhz and mem_cap_kb of `vm` are set
 * (the capacities from the last row where they are nonzero, else 0);
 * name and number are the caller's.  `stats` may be NULL.  A leading
 * UTF-8 byte order mark is skipped.  slot_s 0 is refused with -EINVAL.
 * The loader counts files and empty_files; this counts rows only.
 */
int
trace_parse_csv(const char *text, size_t len, unsigned slot_s,
    struct trace_vm *vm, int64_t *first_slot, size_t *nslots,
    struct trace_stats *stats)
{
	struct trace_csv	 cs;
	struct trace_stats	 dummy;
	const char		*end, *nl;
	int			 m;

	if (slot_s == 0 || (text == NULL && len > 0))
		return -EINVAL;
	if (stats == NULL) {
		memset(&dummy, 0, sizeof(dummy));
		stats = &dummy;
	}
	for (m = 0; m < TRACE_NMETRICS; m++)
		vm->v[m] = NULL;
	vm->present = NULL;
	vm->cores = 0;
	vm->cpu_cap_mhz = vm->mem_cap_kb = 0;
	memset(&cs, 0, sizeof(cs));
	cs.vm = vm;
	cs.st = stats;
	cs.slot_s = slot_s;
	cs.hint = len / 128 + 16;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	end = len > 0 ? text + len : text;
	while (text < end) {
		if ((nl = memchr(text, '\n', (size_t)(end - text))) == NULL)
			nl = end;
		if (trace_csv_line(&cs, text, (size_t)(nl - text)) != 0) {
			trace_vm_release(vm);
			return -ENOMEM;
		}
		if (nl == end)
			break;
		text = nl + 1;
	}
	if (!cs.any) {
		trace_vm_release(vm);
		return -ENODATA;
	}
	*first_slot = cs.first;
	*nslots = (size_t)(cs.last - cs.first) + 1;
	if (*nslots < cs.cap)
		(void)trace_vm_resize(vm, *nslots, *nslots);
	if (vm->cores == 0)
		vm->cores = 1;
	return 0;
}

