/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the planner (balancer/planner.c, plan_pass.c).
 *
 * Golden plans: tests/data/planner/NAME.cluster (a snapshot of the
 * cluster) and NAME.policy are planned, the plan is printed as text and
 * must equal NAME.plan; when it does not, the test shows `diff -u` of
 * the two and fails.  BALLAST_UPDATE_GOLDEN=1 rewrites the .plan files
 * instead (review every change before committing it).  The formats are
 * in tests/data/planner/README.md.
 *
 * Properties: over 300 random clusters and policies (a fixed seed),
 * what every plan must keep whatever its input -- no move onto a stale,
 * maintenance or hot host; none that breaks a must rule (anti-affinity,
 * run and avoid in the placement after the plan, affinity when made);
 * no destination above the hot level less the CPU reserve, or above its
 * memory less headroom and reserve; no VM moved twice, no pinned or
 * unmovable VM moved, none in its cooldown save to empty a host in
 * maintenance; moves in phase order, within per-pass and per-host; a
 * keep-together move joining a heavy partner (random traffic and
 * keep-together rules are part of the inputs); the
 * reported utilisations and hot host counts true.  A failure names the
 * case and writes its policy and cluster (in the .cluster format) to
 * temporary files.  BALLAST_PROP_CASES=N and BALLAST_PROP_SEED=S run
 * other cases, for a longer search.
 *
 * Run from the repository root.
 */
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "planner.h"
#include "policy.h"
#include "util.h"

#define DATA		"tests/data/planner"
#define MAXH		64
#define MAXV		512
#define MAXP		64
#define NAMELEN		48
#define MAXWORDS	48
#define EPS		1e-9
#define GIB		1073741824.0
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A cluster snapshot: the planner's input and the names it points to. */
struct snap {
	struct plan_host hosts[MAXH];
	struct plan_vm	 vms[MAXV];
	char		 hname[MAXH][NAMELEN];
	char		 vname[MAXV][NAMELEN];
	int		 cpu_given[MAXH], mem_given[MAXH];
	size_t		 nh, nv;
	struct plan_pair pairs[MAXP];
	size_t		 np;
};

/* A whole file, NUL-terminated, that the caller frees; NULL if absent. */
static char *
slurp(const char *path)
{
	char	*buf;
	long	 n;
	FILE	*f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
spew(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL)
		fail_msg("cannot write %s", path);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Splits line (in place) into words at blanks; returns how many. */
static size_t
split(char *line, char **w, size_t max)
{
	size_t	 n = 0;

	for (;;) {
		while (*line == ' ' || *line == '\t' || *line == '\r')
			line++;
		if (*line == '\0' || *line == '#')
			return n;
		if (n == max)
			return max + 1;
		w[n++] = line;
		while (*line != '\0' && *line != ' ' && *line != '\t' &&
		    *line != '\r')
			line++;
		if (*line != '\0')
			*line++ = '\0';
	}
}

static size_t
snap_host(const struct snap *s, const char *name, const char *file, int line)
{
	size_t	 h;

	for (h = 0; h < s->nh; h++)
		if (strcmp(s->hname[h], name) == 0)
			return h;
	fail_msg("%s:%d: no host \"%s\" above this line", file, line, name);
	return PLAN_NONE;
}

static double
num(const char *s, const char *file, int line)
{
	double	 d = 0;

	if (s == NULL || util_parse_double(s, 0, 1e18, &d) != 0)
		fail_msg("%s:%d: \"%s\" is not a number", file, line,
		    s ? s : "(nothing)");
	return d;
}

static double
bytes(const char *s, const char *file, int line)
{
	uint64_t v = 0;

	if (s == NULL || util_parse_bytes(s, &v) != 0)
		fail_msg("%s:%d: \"%s\" is not a size", file, line,
		    s ? s : "(nothing)");
	return (double)v;
}

static int64_t
whole(const char *s, int64_t min, const char *file, int line)
{
	int64_t	 v = 0;

	if (s == NULL || util_parse_i64(s, min, INT32_MAX, &v) != 0)
		fail_msg("%s:%d: \"%s\" is not a whole number", file, line,
		    s ? s : "(nothing)");
	return v;
}

static void
snap_parse_host(struct snap *s, char **w, size_t n, const char *file,
    int line)
{
	struct plan_host *h;
	size_t		 i;

	if (n < 2 || s->nh == MAXH)
		fail_msg("%s:%d: host NAME ..., at most %d hosts", file, line,
		    MAXH);
	h = &s->hosts[s->nh];
	memset(h, 0, sizeof(*h));
	if (util_strlcpy(s->hname[s->nh], w[1], NAMELEN) >= NAMELEN)
		fail_msg("%s:%d: host name too long", file, line);
	h->name = s->hname[s->nh];
	s->cpu_given[s->nh] = s->mem_given[s->nh] = 0;
	/* a flag is one word; a field takes the next (the ++i) as its value */
	for (i = 2; i < n; i++) {
		const char *k = w[i], *v = i + 1 < n ? w[i + 1] : NULL;

		if (strcmp(k, "stale") == 0)
			h->stale = 1;
		else if (strcmp(k, "maintenance") == 0)
			h->maintenance = 1;
		else if (strcmp(k, "cpu_cap") == 0 && ++i)
			h->cpu_cap = num(v, file, line);
		else if (strcmp(k, "mem_cap") == 0 && ++i)
			h->mem_cap = bytes(v, file, line);
		else if (strcmp(k, "cpu") == 0 && ++i) {
			h->cpu = num(v, file, line);
			s->cpu_given[s->nh] = 1;
		} else if (strcmp(k, "mem") == 0 && ++i) {
			h->mem = bytes(v, file, line);
			s->mem_given[s->nh] = 1;
		} else if (strcmp(k, "hot_s") == 0 && ++i)
			h->hot_s = (unsigned)whole(v, 0, file, line);
		else if (strcmp(k, "busy") == 0 && ++i)
			h->busy = (unsigned)whole(v, 0, file, line);
		else
			fail_msg("%s:%d: unknown host field \"%s\"", file, line,
			    k);
	}
	if (h->cpu_cap <= 0 || h->mem_cap <= 0)
		fail_msg("%s:%d: host %s needs cpu_cap and mem_cap", file, line,
		    h->name);
	s->nh++;
}

static void
snap_parse_vm(struct snap *s, char **w, size_t n, const char *file, int line)
{
	struct plan_vm	*v;
	size_t		 i;
	int		 has_host = 0, has_mean = 0;

	if (n < 2 || s->nv == MAXV)
		fail_msg("%s:%d: vm NAME ..., at most %d VMs", file, line,
		    MAXV);
	v = &s->vms[s->nv];
	memset(v, 0, sizeof(*v));
	if (util_strlcpy(s->vname[s->nv], w[1], NAMELEN) >= NAMELEN)
		fail_msg("%s:%d: VM name too long", file, line);
	v->name = s->vname[s->nv];
	v->mem = 4 * GIB;
	v->since_move_s = -1;
	v->prev_host = PLAN_NONE;
	v->movable = 1;
	/* as for hosts: flags, and fields with a value */
	for (i = 2; i < n; i++) {
		const char *k = w[i], *val = i + 1 < n ? w[i + 1] : NULL;

		if (strcmp(k, "unmovable") == 0)
			v->movable = 0;
		else if (strcmp(k, "host") == 0 && ++i) {
			v->host = snap_host(s, val ? val : "", file, line);
			has_host = 1;
		} else if (strcmp(k, "prev") == 0 && ++i)
			v->prev_host = snap_host(s, val ? val : "", file, line);
		else if (strcmp(k, "cpu") == 0 && ++i)
			v->cpu = num(val, file, line);
		else if (strcmp(k, "mean") == 0 && ++i) {
			v->cpu_mean = num(val, file, line);
			has_mean = 1;
		} else if (strcmp(k, "sd") == 0 && ++i)
			v->cpu_sd = num(val, file, line);
		else if (strcmp(k, "peak") == 0 && ++i)
			v->cpu_peak = num(val, file, line);
		else if (strcmp(k, "mem") == 0 && ++i)
			v->mem = bytes(val, file, line);
		else if (strcmp(k, "dirty") == 0 && ++i)
			v->dirty_bps = bytes(val, file, line);
		else if (strcmp(k, "since_move") == 0 && ++i)
			v->since_move_s = whole(val, -1, file, line);
		else
			fail_msg("%s:%d: unknown VM field \"%s\"", file, line,
			    k);
	}
	if (!has_host)
		fail_msg("%s:%d: VM %s names no host", file, line, v->name);
	if (!has_mean)
		v->cpu_mean = v->cpu;
	s->nv++;
}

/* The VM named name, by index; fails the test if there is none. */
static size_t
snap_vm(const struct snap *s, const char *name, const char *file, int line)
{
	size_t	 i;

	for (i = 0; i < s->nv; i++)
		if (strcmp(s->vname[i], name) == 0)
			return i;
	fail_msg("%s:%d: no VM \"%s\" (VMs come before their traffic)", file,
	    line, name);
	return 0;
}

/* traffic VM VM RATE: both directions, bytes/s ("30MiB/s"). */
static void
snap_parse_traffic(struct snap *s, char **w, size_t n, const char *file,
    int line)
{
	struct plan_pair	*p;
	size_t			 len;

	if (n != 4 || s->np == MAXP)
		fail_msg("%s:%d: traffic VM VM RATE, at most %d", file, line,
		    MAXP);
	p = &s->pairs[s->np++];
	p->a = snap_vm(s, w[1], file, line);
	p->b = snap_vm(s, w[2], file, line);
	len = strlen(w[3]);
	if (len > 2 && strcmp(w[3] + len - 2, "/s") == 0)
		w[3][len - 2] = '\0';
	p->bps = bytes(w[3], file, line);
}

/*
 * Reads a .cluster file; a host's cpu and mem, when not given, are the
 * sums of its VMs'.  Hosts the policy puts in maintenance are marked so,
 * as the daemon's view does.
 */
static struct snap *
snap_load(const char *path, const struct policy *pol)
{
	struct snap	*s = calloc(1, sizeof(*s));
	char		*text = slurp(path), *line, *next, *w[MAXWORDS + 1];
	size_t		 n, i;
	int		 ln = 0;

	assert_non_null(s);
	if (text == NULL)
		fail_msg("cannot open %s (run from the repository root)", path);
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		ln++;
		if ((n = split(line, w, MAXWORDS)) == 0)
			continue;
		if (n > MAXWORDS)
			fail_msg("%s:%d: too many words", path, ln);
		if (strcmp(w[0], "host") == 0)
			snap_parse_host(s, w, n, path, ln);
		else if (strcmp(w[0], "vm") == 0)
			snap_parse_vm(s, w, n, path, ln);
		else if (strcmp(w[0], "traffic") == 0)
			snap_parse_traffic(s, w, n, path, ln);
		else
			fail_msg("%s:%d: expected host, vm or traffic, found \"%s\"",
			    path, ln, w[0]);
	}
	free(text);
	for (i = 0; i < s->nv; i++) {
		if (!s->cpu_given[s->vms[i].host])
			s->hosts[s->vms[i].host].cpu += s->vms[i].cpu;
		if (!s->mem_given[s->vms[i].host])
			s->hosts[s->vms[i].host].mem += s->vms[i].mem;
	}
	for (i = 0; i < s->nh; i++)
		if (policy_sel_match(&pol->maintenance, s->hname[i]))
			s->hosts[i].maintenance = 1;
	return s;
}

static void
snap_input(const struct snap *s, const struct policy *pol,
    struct plan_input *in)
{
	in->pol = pol;
	in->hosts = s->hosts;
	in->nhosts = s->nh;
	in->vms = s->vms;
	in->nvms = s->nv;
	in->pairs = s->np > 0 ? s->pairs : NULL;
	in->npairs = s->np;
}

/* Writes a snapshot in the .cluster format (every field explicit). */
static void
snap_print(FILE *f, const struct snap *s)
{
	const struct plan_host	*h;
	const struct plan_vm	*v;
	size_t			 i;

	for (i = 0; i < s->nh; i++) {
		h = &s->hosts[i];
		fprintf(f, "host %s cpu_cap %.17g mem_cap %.0f cpu %.17g "
		    "mem %.0f hot_s %u%s%s", h->name, h->cpu_cap, h->mem_cap,
		    h->cpu, h->mem, h->hot_s, h->stale ? " stale" : "",
		    h->maintenance ? " maintenance" : "");
		if (h->busy)
			fprintf(f, " busy %u", h->busy);
		fputc('\n', f);
	}
	for (i = 0; i < s->nv; i++) {
		v = &s->vms[i];
		fprintf(f, "vm %s host %s cpu %.17g mean %.17g sd %.17g "
		    "mem %.0f dirty %.0f since_move %lld", v->name,
		    s->hname[v->host], v->cpu, v->cpu_mean, v->cpu_sd, v->mem,
		    v->dirty_bps, (long long)v->since_move_s);
		if (v->prev_host != PLAN_NONE)
			fprintf(f, " prev %s", s->hname[v->prev_host]);
		if (v->cpu_peak > 0)
			fprintf(f, " peak %.17g", v->cpu_peak);
		fprintf(f, "%s\n", v->movable ? "" : " unmovable");
	}
	for (i = 0; i < s->np; i++)
		fprintf(f, "traffic %s %s %.0f\n", s->vname[s->pairs[i].a],
		    s->vname[s->pairs[i].b], s->pairs[i].bps);
}

/* ---------------------------------------------------------------- */
/* the printed plan */

static int
same_reject(const struct plan_reject *a, const struct plan_reject *b)
{
	return a->vm == b->vm && a->to == b->to && strcmp(a->why, b->why) == 0;
}

/*
 * The plan as text: its moves in order, the rejects it kept (each
 * distinct one once, in the order first made), its notes, and the hot
 * hosts due for relief with those still hot after it.
 */
static char *
plan_text(const struct plan_input *in, const struct plan *p)
{
	const struct plan_move	 *m;
	const struct plan_reject *r;
	char			 *buf = NULL, words[160];
	size_t			  len = 0, i, j;
	FILE			 *f = open_memstream(&buf, &len);

	assert_non_null(f);
	for (i = 0; i < p->nmoves; i++) {
		m = &p->moves[i];
		fprintf(f, "move %s from %s to %s reason %s",
		    in->vms[m->vm].name, in->hosts[m->from].name,
		    in->hosts[m->to].name, plan_reason_name(m->reason));
		if (m->reason == PLAN_RULE)
			fprintf(f, " rule %s", m->rule);
		fprintf(f, " src %.1f%%->%.1f%% dst %.1f%%->%.1f%%",
		    100 * m->src_before, 100 * m->src_after,
		    100 * m->dst_before, 100 * m->dst_after);
		plan_traffic_words(in, m, words, sizeof(words));
		fprintf(f, "%s%s\n", words[0] ? " traffic: " : "", words);
	}
	for (i = 0; i < p->nrejects; i++) {
		r = &p->rejects[i];
		for (j = 0; j < i && !same_reject(&p->rejects[j], r); j++)
			;
		if (j < i)
			continue;
		if (r->to == PLAN_NONE)
			fprintf(f, "reject %s: %s\n", in->vms[r->vm].name,
			    r->why);
		else
			fprintf(f, "reject %s to %s: %s\n", in->vms[r->vm].name,
			    in->hosts[r->to].name, r->why);
	}
	for (i = 0; i < p->nnotes; i++)
		fprintf(f, "note %s\n", p->notes[i]);
	fprintf(f, "hot_hosts %zu unrelieved %zu\n", p->hot_hosts,
	    p->unrelieved);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* A temporary file holding text; its path in path. */
static void
temp_with(char *path, size_t len, const char *text)
{
	const char	*dir = getenv("TMPDIR");
	FILE		*f;
	int		 fd;

	snprintf(path, len, "%s/ballast-planner-XXXXXX",
	    dir != NULL && dir[0] != '\0' ? dir : P_tmpdir);
	if ((fd = mkstemp(path)) < 0)
		fail_msg("mkstemp %s: %s", path, strerror(errno));
	assert_non_null(f = fdopen(fd, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* Prints `diff -u golden got`. */
static void
show_diff(const char *golden, const char *got)
{
	char	 tmp[512], cmd[1400], line[512];
	FILE	*p;

	temp_with(tmp, sizeof(tmp), got);
	snprintf(cmd, sizeof(cmd),
	    "diff -u -L '%s' -L 'planned' '%s' '%s' 2>&1", golden,
	    access(golden, R_OK) == 0 ? golden : "/dev/null", tmp);
	if ((p = popen(cmd, "r")) != NULL) {
		while (fgets(line, sizeof(line), p) != NULL)
			print_message("%s", line);
		pclose(p);
	}
	unlink(tmp);
}

static struct policy *
load_policy(const char *path)
{
	struct policy	*pol = calloc(1, sizeof(*pol));
	char		 err[1024];

	assert_non_null(pol);
	if (policy_load(path, pol, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return pol;
}

/* Plans NAME.cluster under NAME.policy and compares with NAME.plan. */
static void
test_golden(void **state)
{
	const char		*name = *state, *upd;
	char			 path[256], *got, *want;
	struct policy		*pol;
	struct snap		*s;
	struct plan_input	 in;
	struct plan		 plan;
	int			 rc;

	snprintf(path, sizeof(path), DATA "/%s.policy", name);
	pol = load_policy(path);
	snprintf(path, sizeof(path), DATA "/%s.cluster", name);
	s = snap_load(path, pol);
	snap_input(s, pol, &in);
	memset(&plan, 0, sizeof(plan));
	rc = planner_run(&in, &plan);
	assert_true(rc >= 0);
	assert_int_equal((size_t)rc, plan.nmoves);
	got = plan_text(&in, &plan);

	snprintf(path, sizeof(path), DATA "/%s.plan", name);
	upd = getenv("BALLAST_UPDATE_GOLDEN");
	if (upd != NULL && strcmp(upd, "1") == 0) {
		spew(path, got);
		print_message("wrote %s: review it before committing\n", path);
	} else if ((want = slurp(path)) == NULL || strcmp(want, got) != 0) {
		show_diff(path, got);
		free(want);
		fail_msg("%s: the plan differs from the golden (above); if "
		    "the change is right, rerun with BALLAST_UPDATE_GOLDEN=1",
		    path);
	} else
		free(want);
	free(got);
	plan_free(&plan);
	free(s);
	free(pol);
}

static const char *const golden_names[] = {
	"hot-fewest", "hot-no-room", "must-anti-affinity", "should-affinity",
	"must-run", "must-avoid", "conflict", "maintenance", "reserve-n1",
	"cooldown", "stale", "budget", "busy", "idle", "hot-off",
	"traffic-none", "traffic-dest", "traffic-must", "traffic-gather",
	"make-room", "risk-peak", "partial-headroom",
};
#define NGOLDEN	NELEM(golden_names)

/* Every NAME.cluster has its .policy and .plan, and is in golden_names. */
static void
test_golden_listed(void **state)
{
	char	 path[256];
	glob_t	 g;
	size_t	 i, k, n;

	(void)state;
	assert_int_equal(glob(DATA "/*.cluster", 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, NGOLDEN);
	for (i = 0; i < g.gl_pathc; i++) {
		n = strlen(g.gl_pathv[i]) - strlen(".cluster") -
		    strlen(DATA "/");
		for (k = 0; k < NGOLDEN; k++)
			if (strlen(golden_names[k]) == n &&
			    strncmp(golden_names[k],
			    g.gl_pathv[i] + strlen(DATA "/"), n) == 0)
				break;
		if (k == NGOLDEN)
			fail_msg("%s has no golden test in test_planner.c",
			    g.gl_pathv[i]);
		snprintf(path, sizeof(path), DATA "/%s.policy",
		    golden_names[k]);
		assert_int_equal(access(path, R_OK), 0);
		snprintf(path, sizeof(path), DATA "/%s.plan", golden_names[k]);
		assert_int_equal(access(path, R_OK), 0);
	}
	globfree(&g);
}

/* ---------------------------------------------------------------- */
/* properties over random clusters */

#define PROP_CASES	300
#define PROP_SEED	0x62616c6c617374ULL	/* "ballast" */

static double
rnd01(uint64_t *s)
{
	return (double)(xorshift(s) >> 11) / 9007199254740992.0;
}

static unsigned
rnd(uint64_t *s, unsigned n)
{
	return (unsigned)(xorshift(s) % n);
}

static const char *const vm_kinds[] = {
	"web", "db", "cache", "batch", "ora", "legacy", "kv"
};
static const char *const vm_globs[] = {
	"db-*", "web-*", "web-1*", "cache-?", "cache-??", "batch-[0-4]*",
	"ora-*", "*-7", "*-1?", "kv-*", "legacy-*", "db-1*"
};
static const char *const host_globs[] = {
	"hv0[1-4]", "hv1*", "hv2?", "hv05", "hv0?", "hv[12][13579]", "hv03"
};
static const char *const rule_kinds[] = {
	"affinity", "anti-affinity", "run", "avoid"
};

/* Appends to buf[*n..len), failing the test if it does not fit. */
static void
put(char *buf, size_t len, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
put(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list	 ap;
	int	 w;

	va_start(ap, fmt);
	w = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	assert_true(w >= 0 && (size_t)w < len - *n);
	*n += (size_t)w;
}

/* A random policy in the grammar. */
static void
gen_policy(uint64_t *s, char *buf, size_t len)
{
	static const char *const cool[] = { "0s", "10m", "30m" };
	static const char *const hfor[] = { "0s", "1m", "5m" };
	static const char *const target[] = { "0.05", "0.15", "0.3", "1" };
	static const char *const benefit[] = { "0", "0.01", "0.05" };
	size_t	 n = 0;
	unsigned lvl, i, nr, g, k;

	buf[0] = '\0';
	if (rnd(s, 8) == 0)
		put(buf, len, &n, "hot cpu off\ncool cpu off\n");
	else {
		lvl = 50 + rnd(s, 46);
		put(buf, len, &n, "hot cpu above %u%% for %s\n", lvl,
		    hfor[rnd(s, 3)]);
		put(buf, len, &n, "cool cpu below %u%% for 10m\n", lvl - 10);
	}
	put(buf, len, &n, "headroom mem %u%%\n", rnd(s, 31));
	put(buf, len, &n, "imbalance { target %s; min-benefit %s }\n",
	    target[rnd(s, 4)], benefit[rnd(s, 3)]);
	put(buf, len, &n, "migration { per-pass %u; per-host %u; cooldown %s",
	    1 + rnd(s, 20), 1 + rnd(s, 4), cool[rnd(s, 3)]);
	if (rnd(s, 4) == 0)
		put(buf, len, &n, "; bandwidth 100MiB/s; max-downtime 100ms");
	put(buf, len, &n, "; make-room %s }\n", rnd(s, 4) ? "on" : "off");
	put(buf, len, &n, "risk peak-weight %u\n", rnd(s, 4));
	put(buf, len, &n, "relief partial-headroom %u%%\n", rnd(s, 11));
	if (rnd(s, 4) == 0)
		put(buf, len, &n, "reserve n+1\n");
	if (rnd(s, 3) == 0)
		put(buf, len, &n, "reserve cpu %u%%\n", rnd(s, 16));
	if (rnd(s, 3) == 0)
		put(buf, len, &n, "reserve mem %u%%\n", rnd(s, 16));
	nr = rnd(s, 9);
	for (i = 0; i < nr; i++) {
		k = rnd(s, 4);
		put(buf, len, &n, "rule \"r%u\" %s %s vms", i,
		    rnd(s, 2) ? "must" : "should", rule_kinds[k]);
		for (g = 1 + rnd(s, 2); g > 0; g--)
			put(buf, len, &n, " \"%s\"",
			    vm_globs[rnd(s, NELEM(vm_globs))]);
		if (k == 2 || k == 3) {
			put(buf, len, &n, " on hosts");
			for (g = 1 + rnd(s, 2); g > 0; g--)
				put(buf, len, &n, " \"%s\"",
				    host_globs[rnd(s, NELEM(host_globs))]);
		}
		put(buf, len, &n, "\n");
	}
	if (rnd(s, 3) == 0)
		put(buf, len, &n, "pin vms \"legacy-*\" \"*-3\"\n");
	if (rnd(s, 5) == 0)
		put(buf, len, &n, "maintenance hosts \"%s\"\n",
		    host_globs[rnd(s, NELEM(host_globs))]);
	if (rnd(s, 3) == 0)
		put(buf, len, &n, "keep-together traffic above %uMiB/s weight "
		    "%s\n", 1 + rnd(s, 32), rnd(s, 2) ? "1" : "4");
}

/*
 * A random cluster: hosts of mixed sizes, some stale, in maintenance or
 * busy; VMs placed at random, their loads and memory scaled so that the
 * cluster runs from lightly loaded to overloaded.
 */
static void
gen_cluster(uint64_t *s, struct snap *c, const struct policy *pol)
{
	static const double cpu_caps[] = { 32000, 64000, 83200, 128000 };
	static const unsigned mem_gib[] = { 64, 128, 256, 512 };
	struct plan_host	*h;
	struct plan_vm		*v;
	double			 cpu_each = 0, mem_each = 0;
	size_t			 i;

	memset(c, 0, sizeof(*c));
	c->nh = 2 + rnd(s, 29);
	c->nv = rnd(s, 301);
	for (i = 0; i < c->nh; i++) {
		h = &c->hosts[i];
		snprintf(c->hname[i], NAMELEN, "hv%02zu", i + 1);
		h->name = c->hname[i];
		h->cpu_cap = cpu_caps[rnd(s, 4)];
		h->mem_cap = mem_gib[rnd(s, 4)] * GIB;
		h->hot_s = rnd(s, 901);
		h->stale = rnd(s, 10) == 0;
		h->maintenance = rnd(s, 20) == 0 ||
		    policy_sel_match(&pol->maintenance, h->name);
		h->busy = rnd(s, 10) < 7 ? 0 : 1 + rnd(s, 3);
		cpu_each += h->cpu_cap;
		mem_each += h->mem_cap;
	}
	/* twice the mean a VM needs for the cluster to run at 20% to 120% */
	if (c->nv > 0) {
		cpu_each *= 2 * (0.2 + rnd01(s)) / (double)c->nv;
		mem_each *= 2 * (0.1 + 0.8 * rnd01(s)) / (double)c->nv;
	}
	for (i = 0; i < c->nv; i++) {
		v = &c->vms[i];
		snprintf(c->vname[i], NAMELEN, "%s-%zu",
		    vm_kinds[rnd(s, NELEM(vm_kinds))], i);
		v->name = c->vname[i];
		v->host = rnd(s, (unsigned)c->nh);
		v->cpu = rnd(s, 10) == 0 ? 0 : rnd01(s) * cpu_each;
		v->cpu_mean = v->cpu * (0.5 + rnd01(s));
		v->cpu_sd = rnd01(s) * 0.3 * v->cpu_mean;
		v->cpu_peak = rnd(s, 3) ? 0 : v->cpu_mean * (1 + 2 * rnd01(s));
		v->mem = (1 + rnd(s, (unsigned)(mem_each / (1 << 20)) + 1)) *
		    (double)(1 << 20);
		v->dirty_bps = rnd(s, 8) == 0 ? (double)rnd(s, 2u << 30) : 0;
		v->since_move_s = rnd(s, 5) < 3 ? -1 : (int64_t)rnd(s, 7200);
		v->prev_host = rnd(s, 2) ? PLAN_NONE : rnd(s, (unsigned)c->nh);
		v->movable = rnd(s, 10) != 0;
		c->hosts[v->host].cpu += v->cpu;
		c->hosts[v->host].mem += v->mem;
	}
	for (i = 0; i < c->nh; i++) {
		h = &c->hosts[i];
		h->cpu *= 1.0 + 0.1 * rnd01(s);
		h->mem += rnd(s, 8) * GIB;
	}
	/* traffic between random VMs, whole bytes/s up to 64 MiB/s */
	for (c->np = c->nv > 1 ? rnd(s, MAXP + 1) : 0, i = 0; i < c->np; i++) {
		c->pairs[i].a = rnd(s, (unsigned)c->nv);
		c->pairs[i].b = (c->pairs[i].a + 1 +
		    rnd(s, (unsigned)c->nv - 1)) % c->nv;
		c->pairs[i].bps = (double)rnd(s, 64u << 20);
	}
}

/*
 * A random cluster written in the .cluster format (as a failed property
 * leaves it) reads back to the same input and the same plan.
 */
static void
test_snapshot_roundtrip(void **state)
{
	struct policy		*pol = calloc(1, sizeof(*pol));
	struct snap		*c = calloc(1, sizeof(*c)), *back;
	struct plan_input	 in;
	struct plan		 plan;
	uint64_t		 seed = PROP_SEED;
	char			 path[512], *want, *got;
	FILE			*f;
	size_t			 i;

	(void)state;
	assert_non_null(pol);
	assert_non_null(c);
	policy_defaults(pol);
	do
		gen_cluster(&seed, c, pol);
	while (c->nv < 100);
	temp_with(path, sizeof(path), "");
	assert_non_null(f = fopen(path, "w"));
	snap_print(f, c);
	assert_int_equal(fclose(f), 0);
	back = snap_load(path, pol);
	unlink(path);
	assert_int_equal(back->nh, c->nh);
	assert_int_equal(back->nv, c->nv);
	for (i = 0; i < c->nh; i++) {
		assert_string_equal(back->hosts[i].name, c->hosts[i].name);
		back->hosts[i].name = c->hosts[i].name;
		assert_memory_equal(&back->hosts[i], &c->hosts[i],
		    sizeof(c->hosts[i]));
	}
	for (i = 0; i < c->nv; i++) {
		assert_string_equal(back->vms[i].name, c->vms[i].name);
		back->vms[i].name = c->vms[i].name;
		assert_memory_equal(&back->vms[i], &c->vms[i], sizeof(c->vms[i]));
	}
	memset(&plan, 0, sizeof(plan));
	snap_input(c, pol, &in);
	assert_true(planner_run(&in, &plan) > 0);
	want = plan_text(&in, &plan);
	snap_input(back, pol, &in);
	assert_true(planner_run(&in, &plan) >= 0);
	got = plan_text(&in, &plan);
	assert_string_equal(got, want);
	free(want);
	free(got);
	plan_free(&plan);
	free(back);
	free(c);
	free(pol);
}

/* What a failed property reports, and the input to reproduce it. */
struct prop_ctx {
	int			 iter;
	const char		*poltext;
	const struct snap	*snap;
};

static void
prop_fail(const struct prop_ctx *cx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
prop_fail(const struct prop_ctx *cx, const char *fmt, ...)
{
	char	 what[512], path[512];
	FILE	*f;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	temp_with(path, sizeof(path), cx->poltext);
	print_message("case %d: policy in %s\n", cx->iter, path);
	temp_with(path, sizeof(path), "");
	if ((f = fopen(path, "w")) != NULL) {
		snap_print(f, cx->snap);
		fclose(f);
		print_message("case %d: cluster in %s\n", cx->iter, path);
	}
	fail_msg("case %d: %s", cx->iter, what);
}

/*
 * Is must affinity rule k set aside?  It is when a must anti-affinity
 * rule shares two VMs or more with it (anti-affinity over affinity).
 */
static int
affinity_aside(const struct plan_input *in, size_t k)
{
	const struct policy_rule *a = &in->pol->rules[k], *b;
	size_t			 j, i, both;

	for (j = 0; j < in->pol->nrules; j++) {
		b = &in->pol->rules[j];
		if (b->kind != POLICY_ANTI_AFFINITY ||
		    b->strength != POLICY_MUST)
			continue;
		for (i = 0, both = 0; i < in->nvms && both < 2; i++)
			both += policy_sel_match(&a->vms, in->vms[i].name) &&
			    policy_sel_match(&b->vms, in->vms[i].name);
		if (both >= 2)
			return 1;
	}
	return 0;
}

/*
 * Is a must rule of vm broken where it stands (place)?  Affinity counts
 * only with `affinity`: a member is placed well when another shares its
 * host, but a member that leaves later may strand it, so that the plan
 * keeps affinity only at the time of each move.
 */
static const struct policy_rule *
must_broken(const struct plan_input *in, const size_t *place, size_t vm,
    int affinity)
{
	const struct policy_rule *r;
	const char		*hn = in->hosts[place[vm]].name;
	size_t			 k, j, n, size;

	for (k = 0; k < in->pol->nrules; k++) {
		r = &in->pol->rules[k];
		if (r->strength != POLICY_MUST ||
		    !policy_sel_match(&r->vms, in->vms[vm].name))
			continue;
		switch (r->kind) {
		case POLICY_ANTI_AFFINITY:
			for (j = 0; j < in->nvms; j++)
				if (j != vm && place[j] == place[vm] &&
				    policy_sel_match(&r->vms, in->vms[j].name))
					return r;
			break;
		case POLICY_VM_HOST:
			if (!policy_sel_match(&r->hosts, hn))
				return r;
			break;
		case POLICY_NOT_VM_HOST:
			if (policy_sel_match(&r->hosts, hn))
				return r;
			break;
		case POLICY_AFFINITY:
			if (!affinity || affinity_aside(in, k))
				break;
			for (j = 0, n = 0, size = 0; j < in->nvms; j++) {
				if (!policy_sel_match(&r->vms, in->vms[j].name))
					continue;
				size++;
				n += j != vm && place[j] == place[vm];
			}
			if (size > 1 && n == 0)
				return r;
			break;
		}
	}
	return NULL;
}

/* Is utilisation u that of `load` on host h? */
static int
util_is(double u, double load, const struct plan_host *h)
{
	return u >= load / h->cpu_cap - EPS && u <= load / h->cpu_cap + EPS;
}

/* The planner's phases in order; a make-room move is part of relief. */
static int
phase(enum plan_reason r)
{
	return r == PLAN_ROOM ? PLAN_HOT : (int)r;
}

static void
replay(const struct plan_input *in, const struct plan *p, size_t *k,
    enum plan_reason last, double *at)
{
	const struct plan_move	*m;

	for (; *k < p->nmoves && phase(p->moves[*k].reason) <= (int)last; (*k)++) {
		m = &p->moves[*k];
		at[m->from] -= in->vms[m->vm].cpu;
		at[m->to] += in->vms[m->vm].cpu;
	}
}

/*
 * hot_hosts: the hosts due for relief once the maintenance and rule
 * moves (a plan's first) are made.  unrelieved: those still hot once the
 * relief moves are made too.  Later (risk, imbalance) moves only take
 * load off them: no more are hot after the whole plan (cpu: the loads
 * after it), though fewer may be.
 */
static void
check_hot(const struct prop_ctx *cx, const struct plan_input *in,
    const struct plan *p, const double *cpu)
{
	const struct policy_threshold *hot = &in->pol->hot[POLICY_CPU];
	const struct plan_host	*h;
	double			 at[MAXH];
	uint8_t			 due[MAXH];
	size_t			 i, k = 0, ndue = 0, left = 0, after = 0;

	for (i = 0; i < in->nhosts; i++)
		at[i] = in->hosts[i].cpu;
	replay(in, p, &k, PLAN_RULE, at);
	for (i = 0; i < in->nhosts; i++) {
		h = &in->hosts[i];
		due[i] = hot->set && !h->stale && h->hot_s >= hot->for_s &&
		    at[i] > hot->level * h->cpu_cap;
		ndue += due[i];
	}
	replay(in, p, &k, PLAN_HOT, at);
	for (i = 0; i < in->nhosts; i++) {
		h = &in->hosts[i];
		left += due[i] && at[i] > hot->level * h->cpu_cap;
		after += due[i] && cpu[i] > hot->level * h->cpu_cap;
	}
	if (p->hot_hosts != ndue || p->unrelieved != left || after > left)
		prop_fail(cx, "hot_hosts %zu unrelieved %zu; want %zu and %zu, "
		    "%zu still hot after the plan", p->hot_hosts, p->unrelieved,
		    ndue, left, after);
}

/* What must hold of move i before it is applied to place[] and cpu[]. */
static void
check_move_allowed(const struct prop_ctx *cx, const struct plan_input *in,
    const struct plan *p, size_t i, const size_t *place,
    const uint8_t *moved, const double *cpu)
{
	const struct policy	*pol = in->pol;
	const struct plan_move	*m = &p->moves[i];
	const struct plan_vm	*v;
	const struct plan_host	*d;

	if (m->vm >= in->nvms || m->to >= in->nhosts)
		prop_fail(cx, "move %zu out of range", i);
	v = &in->vms[m->vm];
	d = &in->hosts[m->to];
	if (m->from != place[m->vm] || m->to == m->from)
		prop_fail(cx, "move %zu: %s is not on its source, or stays", i,
		    v->name);
	if (moved[m->vm])
		prop_fail(cx, "%s moves twice", v->name);
	/* a make-room move belongs to the hot phase */
	if (i > 0 && phase(m->reason) < phase(p->moves[i - 1].reason))
		prop_fail(cx, "move %zu (%s) out of phase order", i,
		    plan_reason_name(m->reason));
	if (m->reason == PLAN_TRAFFIC && (!pol->keep_together.set ||
	    m->kept_with == PLAN_NONE || m->kept_bps <
	    (double)pol->keep_together.min_bps))
		prop_fail(cx, "traffic move %zu keeps no heavy pair together",
		    i);
	if (policy_sel_match(&pol->pinned, v->name))
		prop_fail(cx, "pinned %s moves", v->name);
	if (!v->movable)
		prop_fail(cx, "unmovable %s moves", v->name);
	if (v->since_move_s >= 0 &&
	    v->since_move_s < (int64_t)pol->cooldown_s &&
	    m->reason != PLAN_MAINTENANCE)
		prop_fail(cx, "%s moves in its cooldown (reason %s)", v->name,
		    plan_reason_name(m->reason));
	if (d->stale || d->maintenance)
		prop_fail(cx, "%s moves to %s, %s", v->name, d->name,
		    d->stale ? "stale" : "in maintenance");
	if (cpu[m->to] > planner_hot_level(pol) * d->cpu_cap + EPS)
		prop_fail(cx, "%s moves to %s, hot (%.3f) before the move",
		    v->name, d->name, cpu[m->to] / d->cpu_cap);
	if (!util_is(m->dst_before, cpu[m->to], d) ||
	    !util_is(m->src_before, cpu[m->from], &in->hosts[m->from]))
		prop_fail(cx, "move %zu: the utilisations before it are wrong",
		    i);
}

/* Every host moved into ends within its limits and per-host budget. */
static void
check_hosts_after(const struct prop_ctx *cx, const struct plan_input *in,
    const double *cpu, const double *mem, const uint8_t *into,
    const unsigned *touched)
{
	const struct policy	*pol = in->pol;
	const struct plan_host	*d;
	double			 cpu_lim, mem_lim, lvl = planner_hot_level(pol);
	size_t			 h;

	for (h = 0; h < in->nhosts; h++) {
		d = &in->hosts[h];
		cpu_lim = (lvl - pol->reserve[POLICY_CPU]) * d->cpu_cap;
		mem_lim = (1.0 - pol->mem_headroom - pol->reserve[POLICY_MEM]) *
		    d->mem_cap;
		if (into[h] && cpu[h] > cpu_lim + 1e-6)
			prop_fail(cx, "%s ends with CPU %.0f over %.0f",
			    d->name, cpu[h], cpu_lim);
		if (into[h] && mem[h] > mem_lim + 1.0)
			prop_fail(cx, "%s ends with memory %.0f over %.0f",
			    d->name, mem[h], mem_lim);
		if (touched[h] > 0 && d->busy + touched[h] > pol->per_host)
			prop_fail(cx, "%s: %u busy + %u moves over per-host %u",
			    d->name, d->busy, touched[h], pol->per_host);
	}
}

static void
check_plan(const struct prop_ctx *cx, const struct plan_input *in,
    const struct plan *p)
{
	const struct policy	*pol = in->pol;
	const struct plan_move	*m;
	const struct plan_vm	*v;
	const struct plan_host	*d;
	const struct policy_rule *r;
	double			 cpu[MAXH], mem[MAXH];
	size_t			 place[MAXV], i, h;
	unsigned		 touched[MAXH] = { 0 };
	uint8_t			 moved[MAXV] = { 0 }, into[MAXH] = { 0 };

	for (h = 0; h < in->nhosts; h++) {
		cpu[h] = in->hosts[h].cpu;
		mem[h] = in->hosts[h].mem;
	}
	for (i = 0; i < in->nvms; i++)
		place[i] = in->vms[i].host;
	if (p->nmoves > pol->per_pass)
		prop_fail(cx, "%zu moves, per-pass %u", p->nmoves,
		    pol->per_pass);
	for (i = 0; i < p->nmoves; i++) {
		check_move_allowed(cx, in, p, i, place, moved, cpu);
		m = &p->moves[i];
		v = &in->vms[m->vm];
		d = &in->hosts[m->to];
		cpu[m->from] -= v->cpu;
		mem[m->from] -= v->mem;
		cpu[m->to] += v->cpu;
		mem[m->to] += v->mem;
		place[m->vm] = m->to;
		moved[m->vm] = 1;
		into[m->to] = 1;
		touched[m->from]++;
		touched[m->to]++;
		if ((r = must_broken(in, place, m->vm, 1)) != NULL)
			prop_fail(cx, "%s moves to %s, breaking must rule "
			    "\"%s\"", v->name, d->name, r->name);
		if (!util_is(m->dst_after, cpu[m->to], d) ||
		    !util_is(m->src_after, cpu[m->from], &in->hosts[m->from]))
			prop_fail(cx, "move %zu: the utilisations after it "
			    "are wrong", i);
	}
	check_hosts_after(cx, in, cpu, mem, into, touched);
	check_hot(cx, in, p, cpu);
	for (i = 0; i < in->nvms; i++)
		if (moved[i] && (r = must_broken(in, place, i, 0)) != NULL)
			prop_fail(cx, "%s on %s breaks must rule \"%s\"",
			    in->vms[i].name, in->hosts[place[i]].name, r->name);
}

static void
test_properties(void **state)
{
	struct policy		*pol = calloc(1, sizeof(*pol));
	struct snap		*c = calloc(1, sizeof(*c));
	struct plan		 plan;
	struct plan_input	 in;
	struct prop_ctx		 cx;
	uint64_t		 seed = PROP_SEED;
	int64_t			 ncases = PROP_CASES, n;
	const char		*env;
	char			 text[8192], err[512];
	size_t			 by_reason[PLAN_ROOM + 1] = { 0 }, k;
	size_t			 unrelieved = 0, notes = 0;
	int			 i, rc;

	(void)state;
	assert_non_null(pol);
	assert_non_null(c);
	memset(&plan, 0, sizeof(plan));	/* reused across runs */
	if ((env = getenv("BALLAST_PROP_CASES")) != NULL &&
	    util_parse_i64(env, 1, 10000000, &ncases) != 0)
		fail_msg("BALLAST_PROP_CASES=%s: not a count", env);
	if ((env = getenv("BALLAST_PROP_SEED")) != NULL) {
		if (util_parse_i64(env, 1, INT64_MAX, &n) != 0)
			fail_msg("BALLAST_PROP_SEED=%s: not a seed", env);
		seed = (uint64_t)n;
	}
	for (i = 0; i < ncases; i++) {
		gen_policy(&seed, text, sizeof(text));
		if (policy_parse("random.policy", text, strlen(text), pol, err,
		    sizeof(err)) != 0)
			fail_msg("case %d: %s in:\n%s", i, err, text);
		gen_cluster(&seed, c, pol);
		snap_input(c, pol, &in);
		cx.iter = i;
		cx.poltext = text;
		cx.snap = c;
		rc = planner_run(&in, &plan);
		if (rc < 0 || (size_t)rc != plan.nmoves)
			prop_fail(&cx, "planner_run returned %d for %zu moves",
			    rc, plan.nmoves);
		check_plan(&cx, &in, &plan);
		for (k = 0; k < plan.nmoves; k++)
			by_reason[plan.moves[k].reason]++;
		unrelieved += plan.unrelieved;
		notes += plan.nnotes;
	}
	/* the random inputs do exercise every phase of the planner */
	print_message("moves: %zu maintenance, %zu rule, %zu hot, %zu risk, "
	    "%zu imbalance, %zu traffic, %zu room; %zu unrelieved, %zu notes\n",
	    by_reason[PLAN_MAINTENANCE], by_reason[PLAN_RULE],
	    by_reason[PLAN_HOT], by_reason[PLAN_RISK],
	    by_reason[PLAN_IMBALANCE], by_reason[PLAN_TRAFFIC],
	    by_reason[PLAN_ROOM], unrelieved, notes);
	for (k = 0; k <= PLAN_ROOM; k++)
		assert_true(by_reason[k] > 0);
	assert_true(unrelieved > 0 && notes > 0);
	plan_free(&plan);
	free(c);
	free(pol);
}

int
main(void)
{
	struct CMUnitTest	 tests[NGOLDEN + 3];
	char			 names[NGOLDEN][64];
	size_t			 i, n = 0;

	memset(tests, 0, sizeof(tests));
	for (i = 0; i < NGOLDEN; i++) {
		snprintf(names[i], sizeof(names[i]), "golden %s",
		    golden_names[i]);
		tests[n].name = names[i];
		tests[n].test_func = test_golden;
		tests[n++].initial_state = (void *)(uintptr_t)golden_names[i];
	}
	tests[n].name = "test_golden_listed";
	tests[n++].test_func = test_golden_listed;
	tests[n].name = "test_snapshot_roundtrip";
	tests[n++].test_func = test_snapshot_roundtrip;
	tests[n].name = "test_properties";
	tests[n++].test_func = test_properties;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
