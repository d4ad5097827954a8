/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rrd.h>

#include "rrd.h"
#include "rrdbatch.h"
#include "util.h"
#include "uuidmap.h"

#define RRDX_NAMES		"names.tsv"
#define RRDX_NAMES_EVERY_MS	10000
#define RRDX_CREATE_RETRY_MS	10000
#define RRDX_MAX_DS		9
#define RRDX_VALUES_LEN		(24 * (RRDX_MAX_DS + 1))

/* A VM as the exporter last wrote it; the UUID first, for uuidmap. */
struct rrdx_vm {
	uint8_t		 uuid[16];
	char		 name[WIRE_MAX_VM_NAME + 1];
	int64_t		 last_t;	/* last second written, 0: none */
	uint64_t	 moves, resets;	/* the model's counts then */
	int		 seen;		/* moves/resets are set */
	int		 file;		/* 1: the file exists */
};

struct rrdx_host {
	uint8_t		 uuid[16];
	char		 name[WIRE_MAX_HOST_NAME + 1];
	int64_t		 last_t;
	int		 file;
};

struct rrdx {
	char		 dir[PATH_MAX];
	char		 daemon[512];
	struct rrdbatch	*batch;		/* NULL: direct */
	int		 io_budget_ms, create_budget_ms, create_retry_ms;
	struct uuidmap	 vms, hosts;
	int64_t		 cluster_last_t;
	int		 cluster_file;
	int		 names_dirty;
	int64_t		 names_next_ms;
	int64_t		 create_after_ms;	/* no creation before (a failure) */
	int64_t		 create_deadline;	/* this tick's creation budget */
	uint64_t	 seen_refused;
	struct rrdx_stats st;
	int		 rc;		/* first failure of this tick */
	char		*err;
	size_t		 errlen;
};

static const char *const rrdx_vm_ds[] = {
	"cpu", "vcpu_delay", "mem", "disk_rd", "disk_wr", "net_rx", "net_tx",
};
static const char *const rrdx_host_ds[] = {
	"cpu", "vcpu_delay", "mem", "disk_rd", "disk_wr", "net_rx", "net_tx",
	"cpu_cap", "mem_cap",
};
static const char *const rrdx_cluster_ds[] = {
	"imbalance", "hosts", "hot_hosts", "stale_hosts", "vms", "migrations",
};
static const char *const rrdx_rras[] = {
	"RRA:AVERAGE:0.5:1:8640",
	"RRA:AVERAGE:0.5:6:10080", "RRA:MAX:0.5:6:10080",
	"RRA:AVERAGE:0.5:30:8928", "RRA:MAX:0.5:30:8928",
	"RRA:AVERAGE:0.5:360:8784", "RRA:MAX:0.5:360:8784",
	"RRA:AVERAGE:0.5:8640:1827", "RRA:MAX:0.5:8640:1827",
};
#define NRRAS	(sizeof(rrdx_rras) / sizeof(rrdx_rras[0]))

const char *const *
rrdx_ds_names(enum rrdx_kind k, size_t *n)
{
	switch (k) {
	case RRDX_HOST:
		*n = sizeof(rrdx_host_ds) / sizeof(rrdx_host_ds[0]);
		return rrdx_host_ds;
	case RRDX_VM:
		*n = sizeof(rrdx_vm_ds) / sizeof(rrdx_vm_ds[0]);
		return rrdx_vm_ds;
	default:
		*n = sizeof(rrdx_cluster_ds) / sizeof(rrdx_cluster_ds[0]);
		return rrdx_cluster_ds;
	}
}

/* Records the tick's first failure. */
static void
rrdx_fail(struct rrdx *x, int rc, const char *msg)
{
	if (x->rc == 0 && x->err != NULL) {
		x->rc = rc;
		util_strlcpy(x->err, msg, x->errlen);
	}
}

static int
rrdx_host_name_ok(const char *s)
{
	size_t	 i;

	if (s[0] == '\0' || strlen(s) > WIRE_MAX_HOST_NAME || s[0] == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

int
rrdx_path(const char *dir, enum rrdx_kind k, const char *id, char *buf,
    size_t len)
{
	uint8_t	 u[16];
	char	 us[UTIL_UUID_STRLEN];
	int	 n;

	if (k == RRDX_HOST && !rrdx_host_name_ok(id))
		return -EINVAL;
	if (k == RRDX_VM) {
		if (util_uuid_parse(id, u) < 0)
			return -EINVAL;
		util_uuid_fmt(u, us);
		id = us;
	}
	if (k == RRDX_CLUSTER)
		n = snprintf(buf, len, "%s/cluster.rrd", dir);
	else
		n = snprintf(buf, len, "%s/%s/%s.rrd", dir,
		    k == RRDX_HOST ? "hosts" : "vms", id);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int
rrdx_create(const char *path, enum rrdx_kind k, time_t start, char *err,
    size_t errlen)
{
	const char		*argv[RRDX_MAX_DS + NRRAS];
	const char *const	*ds;
	char			 def[RRDX_MAX_DS][64];
	size_t			 i, n;
	int			 rc;

	ds = rrdx_ds_names(k, &n);
	for (i = 0; i < n; i++) {
		snprintf(def[i], sizeof(def[i]), "DS:%s:%s:%d:0:U", ds[i],
		    k == RRDX_CLUSTER && strcmp(ds[i], "migrations") == 0 ?
		    "DERIVE" : "GAUGE", RRDX_HEARTBEAT_S);
		argv[i] = def[i];
	}
	for (i = 0; i < NRRAS; i++)
		argv[n + i] = rrdx_rras[i];
	if (access(path, F_OK) == 0)
		return -EEXIST;
	rrd_clear_error();
	errno = 0;
	if (rrd_create_r2(path, RRDX_STEP_S, start, 1, NULL, NULL,
	    (int)(n + NRRAS), argv) == 0)
		return 0;
	rc = errno ? -errno : -EIO;
	snprintf(err, errlen, "cannot create %s: %s", path,
	    *rrd_get_error() ? rrd_get_error() : strerror(-rc));
	rrd_clear_error();
	unlink(path);		/* a partial file, on a full disk */
	return rc;
}

/* Makes sure the file exists; reads its last update the first time. */
static int
rrdx_ensure(struct rrdx *x, const char *path, enum rrdx_kind k, int64_t t,
    int *file, int64_t *last_t)
{
	char	 msg[1400];
	time_t	 last;
	int	 rc;

	if (*file)
		return 0;
	if (access(path, F_OK) == 0) {
		rrd_clear_error();
		if ((last = rrd_last_r(path)) > *last_t)
			*last_t = last;
		rrd_clear_error();
		*file = 1;
		return 0;
	}
	if (util_now_mono_ms() < x->create_after_ms ||
	    util_now_mono_ms() > x->create_deadline)
		return -EAGAIN;
	rc = rrdx_create(path, k, (time_t)(t - RRDX_STEP_S), msg, sizeof(msg));
	if (rc < 0 && rc != -EEXIST) {
		x->st.create_errors++;
		x->create_after_ms = util_now_mono_ms() + x->create_retry_ms;
		rrdx_fail(x, rc, msg);
		return rc;
	}
	x->st.files_created += rc == 0;
	*file = 1;
	return 0;
}

/* "T:v:v:..." with U for a NaN. */
static void
rrdx_fmt(char *buf, size_t len, int64_t t, const double *v, size_t n)
{
	size_t	 i, off;

	off = (size_t)snprintf(buf, len, "%lld", (long long)t);
	for (i = 0; i < n && off < len; i++) {
		if (isnan(v[i]))
			off += (size_t)snprintf(buf + off, len - off, ":U");
		else
			off += (size_t)snprintf(buf + off, len - off, ":%.12g",
			    v[i]);
	}
}

static void
rrdx_write(struct rrdx *x, const char *path, int64_t t, const double *v,
    size_t n)
{
	char		 vals[RRDX_VALUES_LEN], msg[1400];
	const char	*argv[1] = { vals };
	int		 rc;

	rrdx_fmt(vals, sizeof(vals), t, v, n);
	x->st.updates++;
	if (x->batch != NULL) {
		if ((rc = rrdbatch_update(x->batch, path, vals)) < 0)
			rrdx_fail(x, rc, rc == -ENOBUFS ? "the rrdcached queue "
			    "is full: the oldest updates are dropped" :
			    "an RRD path holds a blank");
		return;
	}
	rrd_clear_error();
	if (rrd_update_r(path, NULL, 1, argv) != 0) {
		if (strstr(rrd_get_error(), "illegal attempt to update") != NULL)
			x->st.duplicates++;
		else {
			x->st.refused++;
			snprintf(msg, sizeof(msg), "cannot update %s: %s", path,
			    rrd_get_error());
			rrdx_fail(x, -EIO, msg);
		}
		rrd_clear_error();
	}
}

static struct rrdx_vm *
rrdx_vm_get(struct rrdx *x, const uint8_t uuid[16])
{
	struct rrdx_vm	*e = uuidmap_get(&x->vms, uuid);

	if (e != NULL)
		return e;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	memcpy(e->uuid, uuid, 16);
	if (uuidmap_put(&x->vms, e) < 0) {
		free(e);
		return NULL;
	}
	return e;
}

/* Host accumulators over the VMs with known rates. */
struct rrdx_sum {
	double		 delay, rd, wr, rx, tx;
};

/* One VM of host h at second t. */
static void
rrdx_write_vm(struct rrdx *x, const struct model_host *h,
    const struct model_vm *vm, int64_t t, struct rrdx_sum *sum)
{
	struct rrdx_vm	*e = rrdx_vm_get(x, vm->uuid);
	char		 path[PATH_MAX], us[UTIL_UUID_STRLEN];
	double		 v[7];
	int		 ok;

	if (e == NULL) {
		rrdx_fail(x, -ENOMEM, "out of memory");
		return;
	}
	if (strcmp(e->name, vm->name) != 0) {
		util_strlcpy(e->name, vm->name, sizeof(e->name));
		x->names_dirty = 1;
	}
	ok = vm->has_rates && vm->c_report_ms == h->sample_time_ms &&
	    (!e->seen || (e->moves == vm->moves && e->resets == vm->resets));
	e->seen = 1;
	e->moves = vm->moves;
	e->resets = vm->resets;
	if (ok) {
		sum->delay += vm->r.vcpu_delay * (vm->vcpus ? vm->vcpus : 1);
		sum->rd += vm->r.blk_rd_bps;
		sum->wr += vm->r.blk_wr_bps;
		sum->rx += vm->r.net_rx_bps;
		sum->tx += vm->r.net_tx_bps;
	}
	util_uuid_fmt(vm->uuid, us);
	if (rrdx_path(x->dir, RRDX_VM, us, path, sizeof(path)) < 0 ||
	    rrdx_ensure(x, path, RRDX_VM, t, &e->file, &e->last_t) < 0 ||
	    t <= e->last_t)
		return;
	v[0] = ok ? vm->r.cpu_mhz : NAN;
	v[1] = ok ? vm->r.vcpu_delay * (vm->vcpus ? vm->vcpus : 1) : NAN;
	v[2] = (double)vm->mem_rss;
	v[3] = ok ? vm->r.blk_rd_bps : NAN;
	v[4] = ok ? vm->r.blk_wr_bps : NAN;
	v[5] = ok ? vm->r.net_rx_bps : NAN;
	v[6] = ok ? vm->r.net_tx_bps : NAN;
	rrdx_write(x, path, t, v, 7);
	e->last_t = t;
}

static struct rrdx_host *
rrdx_host_get(struct rrdx *x, const struct model_host *h)
{
	struct rrdx_host	*e = uuidmap_get(&x->hosts, h->uuid);

	if (e == NULL) {
		if ((e = calloc(1, sizeof(*e))) == NULL)
			return NULL;
		memcpy(e->uuid, h->uuid, 16);
		if (uuidmap_put(&x->hosts, e) < 0) {
			free(e);
			return NULL;
		}
	}
	if (strcmp(e->name, h->name) != 0) {	/* renamed: another file */
		util_strlcpy(e->name, h->name, sizeof(e->name));
		e->file = 0;
		e->last_t = 0;
	}
	return e;
}

/* Host h and the VMs of its last report, at second t. */
static void
rrdx_write_host(struct rrdx *x, const struct model_host *h,
    struct rrdx_host *e, int64_t t)
{
	struct rrdx_sum	 s;
	char		 path[PATH_MAX];
	double		 v[9], cap = (double)h->cpus * h->cpu_mhz;
	size_t		 i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < h->nvms; i++)
		rrdx_write_vm(x, h, h->vms[i], t, &s);
	if (rrdx_path(x->dir, RRDX_HOST, h->name, path, sizeof(path)) < 0 ||
	    rrdx_ensure(x, path, RRDX_HOST, t, &e->file, &e->last_t) < 0 ||
	    t <= e->last_t)
		return;
	v[0] = h->has_rates ? h->cpu_util * cap : NAN;
	v[1] = h->has_rates ? s.delay : NAN;
	v[2] = (double)h->mem_used;
	v[3] = h->has_rates ? s.rd : NAN;
	v[4] = h->has_rates ? s.wr : NAN;
	v[5] = h->has_rates ? s.rx : NAN;
	v[6] = h->has_rates ? s.tx : NAN;
	v[7] = cap;
	v[8] = (double)h->mem_bytes;
	rrdx_write(x, path, t, v, 9);
	e->last_t = t;
}

static void
rrdx_write_cluster(struct rrdx *x, const struct rrdx_cluster_sample *cs,
    int64_t t)
{
	char	 path[PATH_MAX];
	double	 v[6];

	if (rrdx_path(x->dir, RRDX_CLUSTER, NULL, path, sizeof(path)) < 0 ||
	    rrdx_ensure(x, path, RRDX_CLUSTER, t, &x->cluster_file,
	    &x->cluster_last_t) < 0 || t <= x->cluster_last_t)
		return;
	v[0] = cs->imbalance;
	v[1] = cs->hosts;
	v[2] = cs->hot_hosts;
	v[3] = cs->stale_hosts;
	v[4] = cs->vms;
	v[5] = (double)cs->migrations_total;
	rrdx_write(x, path, t, v, 6);
	x->cluster_last_t = t;
}

/* Writes vms/names.tsv through a temporary file.  0 or -errno. */
static int
rrdx_names_save(struct rrdx *x)
{
	const struct rrdx_vm	*e;
	char			 path[PATH_MAX + 32], tmp[PATH_MAX + 40];
	char			 us[UTIL_UUID_STRLEN];
	FILE			*f;
	size_t			 i;
	int			 bad;

	snprintf(path, sizeof(path), "%s/vms/" RRDX_NAMES, x->dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -errno;
	fprintf(f, "# ballast VM names: UUID, a tab, the last name reported\n");
	for (i = 0; i < x->vms.cap; i++) {
		if ((e = x->vms.slots[i]) == NULL || e->name[0] == '\0')
			continue;
		util_uuid_fmt(e->uuid, us);
		fprintf(f, "%s\t%s\n", us, e->name);
	}
	bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		bad = errno ? -errno : -EIO;
		unlink(tmp);
		return bad;
	}
	x->names_dirty = 0;
	return 0;
}

static int
rrdx_names_load(struct rrdx *x)
{
	struct rrdx_vm	*e;
	char		 path[PATH_MAX + 32], line[256], *tab, *nl;
	uint8_t		 u[16];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/vms/" RRDX_NAMES, x->dir);
	if ((f = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '#' || (tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		if (util_uuid_parse(line, u) < 0 || tab[1] == '\0')
			continue;
		if ((e = rrdx_vm_get(x, u)) == NULL) {
			fclose(f);
			return -ENOMEM;
		}
		util_strlcpy(e->name, tab + 1, sizeof(e->name));
	}
	fclose(f);
	return 0;
}

static int
rrdx_mkdirs(struct rrdx *x, const char *dir, char *err, size_t errlen)
{
	char	 sub[PATH_MAX + 8];

	if ((mkdir(dir, 0750) == -1 && errno != EEXIST) ||
	    realpath(dir, x->dir) == NULL) {
		snprintf(err, errlen, "cannot create %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	snprintf(sub, sizeof(sub), "%s/hosts", x->dir);
	if (mkdir(sub, 0750) == -1 && errno != EEXIST)
		goto fail;
	snprintf(sub, sizeof(sub), "%s/vms", x->dir);
	if (mkdir(sub, 0750) == -1 && errno != EEXIST)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "cannot create %s: %s", sub, strerror(errno));
	return -1;
}

struct rrdx *
rrdx_new(const struct rrdx_config *cfg, char *err, size_t errlen)
{
	struct rrdx	*x;
	int		 rc;

	if ((x = calloc(1, sizeof(*x))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	x->io_budget_ms = cfg->io_budget_ms > 0 ? cfg->io_budget_ms : 50;
	x->create_budget_ms = cfg->create_budget_ms > 0 ?
	    cfg->create_budget_ms : 100;
	x->create_retry_ms = cfg->create_retry_ms > 0 ? cfg->create_retry_ms :
	    RRDX_CREATE_RETRY_MS;
	x->st.direct = cfg->daemon == NULL || cfg->daemon[0] == '\0';
	if (rrdx_mkdirs(x, cfg->dir, err, errlen) < 0)
		goto fail;
	if ((rc = rrdx_names_load(x)) < 0) {
		snprintf(err, errlen, "cannot read %s/vms/" RRDX_NAMES ": %s",
		    x->dir, strerror(-rc));
		goto fail;
	}
	if (!x->st.direct) {
		util_strlcpy(x->daemon, cfg->daemon, sizeof(x->daemon));
		x->batch = rrdbatch_new(cfg->daemon, cfg->max_queue, -1, err,
		    errlen);
		if (x->batch == NULL)
			goto fail;
	}
	return x;
fail:
	rrdx_free(x);
	return NULL;
}

void
rrdx_free(struct rrdx *x)
{
	size_t	 i;

	if (x == NULL)
		return;
	for (i = 0; i < x->vms.cap; i++)
		free(x->vms.slots[i]);
	for (i = 0; i < x->hosts.cap; i++)
		free(x->hosts.slots[i]);
	uuidmap_clear(&x->vms);
	uuidmap_clear(&x->hosts);
	rrdbatch_free(x->batch);
	free(x);
}

/* rrdcached I/O and what it tells. */
static void
rrdx_io(struct rrdx *x, int64_t now_ms)
{
	const struct rrdbatch_stats	*b = rrdbatch_stats(x->batch);
	char				 msg[512];
	int				 rc;

	rc = rrdbatch_run(x->batch, now_ms, x->io_budget_ms, msg, sizeof(msg));
	if (rc < 0)
		rrdx_fail(x, rc, msg);
	if (b->refused > x->seen_refused) {
		snprintf(msg, sizeof(msg), "rrdcached refused %llu updates, "
		    "the last: %s", (unsigned long long)(b->refused -
		    x->seen_refused), b->last_refusal);
		x->seen_refused = b->refused;
		rrdx_fail(x, -EIO, msg);
	}
	x->st.connected = b->connected;
	x->st.acked = b->acked;
	x->st.refused = b->refused;
	x->st.duplicates = b->duplicates;
	x->st.dropped = b->dropped;
	x->st.queued = b->queued;
	x->st.reconnects = b->connects > 0 ? b->connects - 1 : 0;
}

int
rrdx_tick(struct rrdx *x, const struct model *m,
    const struct rrdx_cluster_sample *cs, int64_t now_ms, char *err,
    size_t errlen)
{
	const struct model_host	*h;
	struct rrdx_host	*e;
	int64_t			 t, newest = 0;
	size_t			 i;
	int			 rc;

	x->rc = 0;
	x->err = err;
	x->errlen = errlen;
	x->create_deadline = util_now_mono_ms() + x->create_budget_ms;
	for (i = 0; (h = model_host_at(m, i)) != NULL; i++) {
		t = (int64_t)(h->sample_time_ms / 1000);
		if ((e = rrdx_host_get(x, h)) == NULL) {
			rrdx_fail(x, -ENOMEM, "out of memory");
			break;
		}
		if (t <= e->last_t || h->reports == 0)
			continue;
		rrdx_write_host(x, h, e, t);
		if (t > newest)
			newest = t;
	}
	if (cs != NULL && newest > x->cluster_last_t)
		rrdx_write_cluster(x, cs, newest);
	if (x->names_dirty && now_ms >= x->names_next_ms) {
		x->names_next_ms = now_ms + RRDX_NAMES_EVERY_MS;
		if ((rc = rrdx_names_save(x)) < 0)
			rrdx_fail(x, rc, "cannot write the VM name map "
			    "vms/" RRDX_NAMES " (tried again in 10 s)");
	}
	if (x->batch != NULL)
		rrdx_io(x, now_ms);
	x->err = NULL;
	return x->rc;
}

int
rrdx_flush(struct rrdx *x, int timeout_ms, char *err, size_t errlen)
{
	int	 rc = 0;

	if (x->names_dirty && (rc = rrdx_names_save(x)) < 0)
		snprintf(err, errlen, "cannot write %s/vms/" RRDX_NAMES ": %s",
		    x->dir, strerror(-rc));
	if (x->batch != NULL) {
		if ((rc = rrdbatch_drain(x->batch, timeout_ms, err, errlen)) < 0)
			return rc;
		x->st.queued = rrdbatch_stats(x->batch)->queued;
		x->st.acked = rrdbatch_stats(x->batch)->acked;
	}
	return rc;
}

const struct rrdx_stats *
rrdx_stats(const struct rrdx *x)
{
	return &x->st;
}

const char *
rrdx_dir(const struct rrdx *x)
{
	return x->dir;
}

const char *
rrdx_daemon(const struct rrdx *x)
{
	return x->batch != NULL ? x->daemon : NULL;
}

const char *
rrdx_vm_name(const struct rrdx *x, const uint8_t uuid[16])
{
	const struct rrdx_vm	*e = uuidmap_get(&x->vms, uuid);

	return e != NULL && e->name[0] != '\0' ? e->name : NULL;
}
