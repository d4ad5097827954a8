/* SPDX-License-Identifier: ISC */
/*
 * trace: loads GWA-T-12 Bitbrains per-VM CSV files onto fixed slots.
 *
 * Each file is read whole into one reusable buffer and parsed in place:
 * a field is copied into a small stack buffer only to terminate it for
 * the checked number parsers, so there is no allocation per row.  A
 * VM's arrays start at its first usable row's slot and grow by
 * doubling; the loader re-aligns them on the set's common slot0.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "trace.h"
#include "util.h"

#define TRACE_SLOT_S	300		/* Bitbrains samples every 300 s */
#define TRACE_NFIELDS	11		/* columns of a Bitbrains row */
#define TRACE_FIELD_MAX	64		/* longest field text accepted */
#define TRACE_MAX_FILE	((size_t)256 << 20)	/* largest N.csv read */
#define TRACE_MAX_CORES	4096
#define TRACE_MAX_DEPTH	8		/* folder levels searched */
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

/* A VM read by the loader, before the set is assembled. */
struct trace_part {
	struct trace_vm		 vm;
	struct trace_stats	 st;
	int64_t			 first;
	size_t			 n;
};

struct trace_loader {
	const char		*path;
	size_t			 max_vms;
	struct trace_part	*parts;
	size_t			 nparts;
	size_t			 partcap;
	struct trace_stats	 st;	/* files and empty files */
	uint64_t		 seen;	/* N.csv names met */
	char			*buf;	/* the current file's text */
	size_t			 buflen;
	size_t			 bufcap;
	char			*err;
	size_t			 errlen;
};

static void	trace_err(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
trace_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Frees a VM's arrays and leaves them NULL. */
static void
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

/*
 * The number N of a base name "N.csv" (digits only, at most 9).
 * Returns 0, or -1 for any other name.
 */
static int
trace_csv_number(const char *base, unsigned *num)
{
	char	 digits[16];
	size_t	 n = strspn(base, "0123456789");
	int64_t	 v;

	if (n == 0 || n > 9 || strcmp(base + n, ".csv") != 0)
		return -1;
	memcpy(digits, base, n);
	digits[n] = '\0';
	if (util_parse_i64(digits, 0, 999999999, &v) != 0)
		return -1;
	*num = (unsigned)v;
	return 0;
}

/* Adds b's counters to a. */
static void
trace_stats_add(struct trace_stats *a, const struct trace_stats *b)
{
	a->files += b->files;
	a->rows += b->rows;
	a->used += b->used;
	a->bad_fields += b->bad_fields;
	a->negative += b->negative;
	a->zero_cores += b->zero_cores;
	a->out_of_order += b->out_of_order;
	a->empty_files += b->empty_files;
}

/* Takes b's counters (a part of a) away from a. */
static void
trace_stats_sub(struct trace_stats *a, const struct trace_stats *b)
{
	a->files -= b->files;
	a->rows -= b->rows;
	a->used -= b->used;
	a->bad_fields -= b->bad_fields;
	a->negative -= b->negative;
	a->zero_cores -= b->zero_cores;
	a->out_of_order -= b->out_of_order;
	a->empty_files -= b->empty_files;
}

/*
 * Whether file `num` should be read: 1 yes, 0 no (beyond max_vms),
 * -EEXIST when a file with that number was read already.
 */
static int
trace_loader_wants(struct trace_loader *ld, unsigned num)
{
	size_t	 i;
	unsigned hi = 0;

	for (i = 0; i < ld->nparts; i++) {
		if (ld->parts[i].vm.number == num) {
			trace_err(ld->err, ld->errlen, "%s: two files %u.csv",
			    ld->path, num);
			return -EEXIST;
		}
		if (ld->parts[i].vm.number > hi)
			hi = ld->parts[i].vm.number;
	}
	if (ld->max_vms > 0 && ld->nparts >= ld->max_vms && num > hi)
		return 0;
	return 1;
}

/* Index of the part with the highest file number (nparts > 0). */
static size_t
trace_loader_highest(const struct trace_loader *ld)
{
	size_t	 i, hi = 0;

	for (i = 1; i < ld->nparts; i++)
		if (ld->parts[i].vm.number > ld->parts[hi].vm.number)
			hi = i;
	return hi;
}

/* Places a parsed part, evicting the highest number beyond max_vms. */
static int
trace_loader_keep(struct trace_loader *ld, const struct trace_part *p)
{
	struct trace_part	*np;
	size_t			 i, ncap;

	if (ld->max_vms > 0 && ld->nparts >= ld->max_vms) {
		i = trace_loader_highest(ld);
		trace_vm_release(&ld->parts[i].vm);
		ld->parts[i] = *p;
		return 0;
	}
	if (ld->nparts == ld->partcap) {
		ncap = ld->partcap > 0 ? ld->partcap * 2 : 64;
		np = reallocarray(ld->parts, ncap, sizeof(*np));
		if (np == NULL)
			return -ENOMEM;
		ld->parts = np;
		ld->partcap = ncap;
	}
	ld->parts[ld->nparts++] = *p;
	return 0;
}

/* Parses the buffered text of file `num` and keeps the VM, if any. */
static int
trace_loader_add(struct trace_loader *ld, unsigned num)
{
	struct trace_part	 p;
	int			 rc;

	memset(&p, 0, sizeof(p));
	p.vm.number = num;
	snprintf(p.vm.name, sizeof(p.vm.name), "vm-%u", num);
	p.st.files = 1;
	rc = trace_parse_csv(ld->buf, ld->buflen, TRACE_SLOT_S, &p.vm,
	    &p.first, &p.n, &p.st);
	if (rc == -ENODATA) {
		p.st.empty_files = 1;
		trace_stats_add(&ld->st, &p.st);
		return 0;
	}
	if (rc != 0) {
		trace_err(ld->err, ld->errlen, "%s: %u.csv: %s", ld->path,
		    num, strerror(-rc));
		return rc;
	}
	if (ld->max_vms > 0 && ld->nparts >= ld->max_vms)
		trace_stats_sub(&ld->st,
		    &ld->parts[trace_loader_highest(ld)].st);
	if ((rc = trace_loader_keep(ld, &p)) != 0) {
		trace_vm_release(&p.vm);
		trace_err(ld->err, ld->errlen, "%s: out of memory", ld->path);
		return rc;
	}
	trace_stats_add(&ld->st, &p.st);
	return 0;
}

/* Ensures the file buffer holds `need` bytes.  0 or -ENOMEM/-EFBIG. */
static int
trace_loader_reserve(struct trace_loader *ld, size_t need, unsigned num)
{
	size_t	 ncap;
	char	*nb;

	if (need > TRACE_MAX_FILE) {
		trace_err(ld->err, ld->errlen, "%s: %u.csv: larger than %zu "
		    "bytes", ld->path, num, TRACE_MAX_FILE);
		return -EFBIG;
	}
	if (need <= ld->bufcap)
		return 0;
	ncap = ld->bufcap > 0 ? ld->bufcap : 1 << 16;
	while (ncap < need)
		ncap *= 2;
	if ((nb = realloc(ld->buf, ncap)) == NULL) {
		trace_err(ld->err, ld->errlen, "%s: out of memory", ld->path);
		return -ENOMEM;
	}
	ld->buf = nb;
	ld->bufcap = ncap;
	return 0;
}

/* Reads the rest of an open file into the buffer. */
static int
trace_read_fd(struct trace_loader *ld, int fd, unsigned num)
{
	struct stat	 sb;
	ssize_t		 r;
	int		 rc;

	ld->buflen = 0;
	if (fstat(fd, &sb) == 0 && sb.st_size > 0 &&
	    (rc = trace_loader_reserve(ld, (size_t)sb.st_size + 4096,
	    num)) != 0)
		return rc;
	for (;;) {
		if ((rc = trace_loader_reserve(ld, ld->buflen + 4096,
		    num)) != 0)
			return rc;
		r = read(fd, ld->buf + ld->buflen, ld->bufcap - ld->buflen);
		if (r == 0)
			return 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			trace_err(ld->err, ld->errlen, "%s: %u.csv: %s",
			    ld->path, num, strerror(errno));
			return rc;
		}
		ld->buflen += (size_t)r;
	}
}

static int	trace_load_dirfd(struct trace_loader *, int, int);

/* Reads and adds the regular file N.csv open on fd, if it is wanted. */
static int
trace_load_fd(struct trace_loader *ld, int fd, unsigned num)
{
	int	 rc;

	ld->seen++;
	if ((rc = trace_loader_wants(ld, num)) <= 0)
		return rc;
	if ((rc = trace_read_fd(ld, fd, num)) != 0)
		return rc;
	return trace_loader_add(ld, num);
}

/* Handles one folder entry: a subfolder or maybe an N.csv. */
static int
trace_load_dirent(struct trace_loader *ld, int dfd, const struct dirent *de,
    int depth)
{
	const char	*name = de->d_name;
	struct stat	 sb;
	unsigned	 num;
	int		 fd, rc = 0, csv;

	if (name[0] == '.')
		return 0;
	csv = trace_csv_number(name, &num) == 0;
	if (!csv && de->d_type != DT_DIR && de->d_type != DT_LNK &&
	    de->d_type != DT_UNKNOWN)
		return 0;
	fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (!csv)
			return 0;
		rc = -errno;
		trace_err(ld->err, ld->errlen, "%s: %s: %s", ld->path, name,
		    strerror(errno));
		return rc;
	}
	if (fstat(fd, &sb) == -1)
		sb.st_mode = 0;
	if (S_ISDIR(sb.st_mode))
		return trace_load_dirfd(ld, fd, depth + 1);
	if (csv && S_ISREG(sb.st_mode))
		rc = trace_load_fd(ld, fd, num);
	close(fd);
	return rc;
}

/* Loads every N.csv in an open folder and below; closes dfd. */
static int
trace_load_dirfd(struct trace_loader *ld, int dfd, int depth)
{
	DIR		*d;
	struct dirent	*de;
	int		 rc = 0;

	if (depth > TRACE_MAX_DEPTH) {
		close(dfd);
		return 0;
	}
	if ((d = fdopendir(dfd)) == NULL) {
		rc = -errno;
		close(dfd);
		trace_err(ld->err, ld->errlen, "%s: %s", ld->path,
		    strerror(-rc));
		return rc;
	}
	while (rc == 0 && (de = readdir(d)) != NULL)
		rc = trace_load_dirent(ld, dirfd(d), de, depth);
	closedir(d);
	return rc;
}

/* Reads the current archive entry's data into the buffer. */
static int
trace_read_entry(struct trace_loader *ld, struct archive *a,
    struct archive_entry *ae, unsigned num)
{
	la_ssize_t	 r;
	int		 rc;

	ld->buflen = 0;
	if (archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0 &&
	    (rc = trace_loader_reserve(ld,
	    (size_t)archive_entry_size(ae) + 4096, num)) != 0)
		return rc;
	for (;;) {
		if ((rc = trace_loader_reserve(ld, ld->buflen + 4096,
		    num)) != 0)
			return rc;
		r = archive_read_data(a, ld->buf + ld->buflen,
		    ld->bufcap - ld->buflen);
		if (r == 0)
			return 0;
		if (r < 0) {
			trace_err(ld->err, ld->errlen, "%s: %u.csv: %s",
			    ld->path, num, archive_error_string(a) != NULL ?
			    archive_error_string(a) : "read error");
			return -EIO;
		}
		ld->buflen += (size_t)r;
	}
}

/* Handles one archive entry.  0 or a negative errno. */
static int
trace_load_entry(struct trace_loader *ld, struct archive *a,
    struct archive_entry *ae)
{
	const char	*path, *base;
	unsigned	 num;
	int		 rc;

	if (archive_entry_filetype(ae) != AE_IFREG ||
	    (path = archive_entry_pathname(ae)) == NULL)
		return 0;
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if (trace_csv_number(base, &num) != 0)
		return 0;
	ld->seen++;
	if ((rc = trace_loader_wants(ld, num)) <= 0)
		return rc;
	if ((rc = trace_read_entry(ld, a, ae, num)) != 0)
		return rc;
	return trace_loader_add(ld, num);
}

/* Loads every N.csv of a tar archive, compressed or not. */
static int
trace_load_archive(struct trace_loader *ld)
{
	struct archive		*a;
	struct archive_entry	*ae;
	int			 r, rc = 0;

	if ((a = archive_read_new()) == NULL) {
		trace_err(ld->err, ld->errlen, "%s: out of memory", ld->path);
		return -ENOMEM;
	}
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, ld->path, 1 << 16) != ARCHIVE_OK) {
		trace_err(ld->err, ld->errlen, "%s: not a folder or tar "
		    "archive: %s", ld->path, archive_error_string(a) != NULL ?
		    archive_error_string(a) : "unreadable");
		archive_read_free(a);
		return -EINVAL;
	}
	while (rc == 0) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			trace_err(ld->err, ld->errlen, "%s: %s", ld->path,
			    archive_error_string(a) != NULL ?
			    archive_error_string(a) : "bad archive");
			rc = -EIO;
			break;
		}
		rc = trace_load_entry(ld, a, ae);
	}
	archive_read_free(a);
	return rc;
}

static int
trace_part_cmp(const void *a, const void *b)
{
	const struct trace_part	*pa = a, *pb = b;

	if (pa->vm.number != pb->vm.number)
		return pa->vm.number < pb->vm.number ? -1 : 1;
	return 0;
}

/* Moves a part's arrays onto [slot0, slot0 + nslots). */
static int
trace_part_align(struct trace_part *p, int64_t slot0, size_t nslots)
{
	struct trace_vm	 nv;
	size_t		 off = (size_t)(p->first - slot0);
	int		 m;

	if (off == 0 && p->n == nslots)
		return 0;
	memset(&nv, 0, sizeof(nv));
	for (m = 0; m < TRACE_NMETRICS; m++)
		if ((nv.v[m] = calloc(nslots, sizeof(float))) == NULL)
			goto fail;
	if ((nv.present = calloc(nslots, 1)) == NULL)
		goto fail;
	for (m = 0; m < TRACE_NMETRICS; m++) {
		memcpy(nv.v[m] + off, p->vm.v[m], p->n * sizeof(float));
		free(p->vm.v[m]);
		p->vm.v[m] = nv.v[m];
	}
	memcpy(nv.present + off, p->vm.present, p->n);
	free(p->vm.present);
	p->vm.present = nv.present;
	p->first = slot0;
	p->n = nslots;
	return 0;
fail:
	trace_vm_release(&nv);
	return -ENOMEM;
}

/* Sorts, aligns and hands the parts over as a set. */
static int
trace_loader_finish(struct trace_loader *ld, struct trace_set *set)
{
	int64_t	 lo, hi;
	size_t	 i;

	qsort(ld->parts, ld->nparts, sizeof(*ld->parts), trace_part_cmp);
	lo = ld->parts[0].first;
	hi = lo + (int64_t)ld->parts[0].n - 1;
	for (i = 1; i < ld->nparts; i++) {
		if (ld->parts[i].first < lo)
			lo = ld->parts[i].first;
		if (ld->parts[i].first + (int64_t)ld->parts[i].n - 1 > hi)
			hi = ld->parts[i].first + (int64_t)ld->parts[i].n - 1;
	}
	if ((uint64_t)(hi - lo) >= TRACE_MAX_SLOTS) {
		trace_err(ld->err, ld->errlen, "%s: files span more than %zu "
		    "slots", ld->path, TRACE_MAX_SLOTS);
		return -E2BIG;
	}
	set->vms = calloc(ld->nparts, sizeof(*set->vms));
	if (set->vms == NULL)
		goto nomem;
	for (i = 0; i < ld->nparts; i++) {
		if (trace_part_align(&ld->parts[i], lo,
		    (size_t)(hi - lo) + 1) != 0)
			goto nomem;
	}
	for (i = 0; i < ld->nparts; i++)
		set->vms[i] = ld->parts[i].vm;
	set->nvms = ld->nparts;
	ld->nparts = 0;
	set->slot0 = lo;
	set->nslots = (size_t)(hi - lo) + 1;
	set->slot_s = TRACE_SLOT_S;
	set->stats = ld->st;
	util_strlcpy(set->source, ld->path, sizeof(set->source));
	return 0;
nomem:
	trace_err(ld->err, ld->errlen, "%s: out of memory", ld->path);
	return -ENOMEM;
}

/* Reads the folder or archive at ld->path into ld->parts. */
static int
trace_loader_read(struct trace_loader *ld)
{
	struct stat	 sb;
	int		 fd, rc;

	if (stat(ld->path, &sb) == -1) {
		rc = -errno;
		trace_err(ld->err, ld->errlen, "%s: %s", ld->path,
		    strerror(errno));
		return rc;
	}
	if (!S_ISDIR(sb.st_mode))
		return trace_load_archive(ld);
	if ((fd = open(ld->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		rc = -errno;
		trace_err(ld->err, ld->errlen, "%s: %s", ld->path,
		    strerror(errno));
		return rc;
	}
	return trace_load_dirfd(ld, fd, 0);
}

/*
 * With max_vms, files beyond the limit met after it is reached are
 * not read; the stats cover the kept VMs and the empty files read.
 */
int
trace_load(const char *path, size_t max_vms, struct trace_set **out,
    char *err, size_t errlen)
{
	struct trace_loader	 ld;
	struct trace_set	*set = NULL;
	size_t			 i;
	int			 rc;

	*out = NULL;
	trace_err(err, errlen, "%s", "");
	if (path == NULL || *path == '\0') {
		trace_err(err, errlen, "no trace path");
		return -EINVAL;
	}
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.max_vms = max_vms;
	ld.err = err;
	ld.errlen = errlen;
	if ((rc = trace_loader_read(&ld)) != 0)
		goto done;
	if (ld.nparts == 0) {
		rc = ld.seen == 0 ? -ENOENT : -ENODATA;
		trace_err(err, errlen, ld.seen == 0 ? "%s: no N.csv file" :
		    "%s: no usable row in any N.csv file", path);
		goto done;
	}
	if ((set = calloc(1, sizeof(*set))) == NULL) {
		trace_err(err, errlen, "%s: out of memory", path);
		rc = -ENOMEM;
		goto done;
	}
	if ((rc = trace_loader_finish(&ld, set)) == 0) {
		*out = set;
		set = NULL;
	}
done:
	trace_free(set);
	for (i = 0; i < ld.nparts; i++)
		trace_vm_release(&ld.parts[i].vm);
	free(ld.parts);
	free(ld.buf);
	return rc;
}

double
trace_value(const struct trace_set *set, size_t i, enum trace_metric m,
    int64_t slot)
{
	const float	*v;

	if (set == NULL || i >= set->nvms || (unsigned)m >= TRACE_NMETRICS ||
	    slot < set->slot0 || (uint64_t)(slot - set->slot0) >= set->nslots)
		return 0;
	if ((v = set->vms[i].v[m]) == NULL)
		return 0;
	return v[slot - set->slot0];
}

void
trace_free(struct trace_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; set->vms != NULL && i < set->nvms; i++)
		trace_vm_release(&set->vms[i]);
	free(set->vms);
	free(set);
}
