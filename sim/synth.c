/* SPDX-License-Identifier: ISC */
/*
 * synth: seeded synthetic workloads on the trace_set structure.
 *
 * Every VM draws from its own splitmix64 stream, seeded from the set's
 * seed and the VM's index, so a VM's series depends only on the seed,
 * its index and the slot grid.  CPU use is a base load shaped by a
 * diurnal sine with a per-VM phase, multiplicative log-normal noise and
 * rare bursts towards the VM's capacity; memory use drifts slowly
 * between 30 % and 90 % of what is provisioned; disk and network
 * rates follow the daily shape with their own noise.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"
#include "util.h"

#define SYNTH_CORE_MHZ	2600.0
#define SYNTH_KB_PER_GIB	(1024.0 * 1024.0)
#define SYNTH_DAY_S	86400.0		/* day_s when none is given */
#define SYNTH_MEM_LO	0.30		/* memory use, share of provisioned */
#define SYNTH_MEM_HI	0.90
#define SYNTH_BURST_MAX	0.02		/* chance a burst starts in a slot */

struct synth_vm {
	uint64_t	 rng;
	double		 cap;		/* CPU capacity, MHz */
	double		 base;		/* mean CPU use, MHz */
	double		 amp;		/* diurnal amplitude, share of base */
	double		 phase;		/* diurnal phase, radians */
	double		 sigma;		/* CPU noise, log scale */
	double		 mem_frac;	/* current memory use / provisioned */
	double		 mem_step;	/* memory drift per slot, std dev */
	double		 io[4];		/* disk rd, wr, net rx, tx: KB/s */
	double		 burst_p;	/* chance a burst starts in a slot */
	unsigned	 burst_left;	/* slots of the current burst */
	double		 burst_level;	/* its CPU use, MHz */
};

/* Uniform in [0, 1). */
static double
synth_unif(uint64_t *s)
{
	return (double)(util_splitmix64(s) >> 11) * 0x1.0p-53;
}

/* Uniform in [lo, hi). */
static double
synth_range(uint64_t *s, double lo, double hi)
{
	return lo + (hi - lo) * synth_unif(s);
}

/* Standard normal (Box-Muller), clipped to +-4. */
static double
synth_gauss(uint64_t *s)
{
	double	 u1 = 1.0 - synth_unif(s), u2 = synth_unif(s), g;

	g = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
	return g < -4.0 ? -4.0 : g > 4.0 ? 4.0 : g;
}

/* Mean-one log-normal factor with log-scale spread sigma. */
static double
synth_noise(uint64_t *s, double sigma)
{
	return exp(sigma * synth_gauss(s) - sigma * sigma / 2.0);
}

/* Draws a VM's size and load shape; sets vm's capacities. */
static void
synth_vm_init(struct synth_vm *sv, struct trace_vm *vm, uint64_t seed,
    size_t i, const struct synth_params *p, double day_s)
{
	static const unsigned	 cores[] = { 1, 2, 2, 4, 4, 8, 16 };
	uint64_t		*r = &sv->rng;
	unsigned		 gib;
	int			 k;

	sv->rng = seed ^ ((uint64_t)(i + 1) * 0xd1b54a32d192ed03ULL);
	(void)util_splitmix64(r);
	vm->cores = cores[util_splitmix64(r) % (sizeof(cores) / sizeof(cores[0]))];
	gib = vm->cores * (synth_unif(r) < 0.5 ? 2 : 4);
	gib = gib < 2 ? 2 : gib > 64 ? 64 : gib;
	vm->cpu_cap_mhz = vm->cores * SYNTH_CORE_MHZ;
	vm->mem_cap_kb = gib * SYNTH_KB_PER_GIB;
	sv->cap = vm->cpu_cap_mhz;
	sv->base = synth_range(r, 0.05, 0.60) * sv->cap;
	sv->amp = synth_range(r, 0.10, 0.60);
	sv->phase = synth_range(r, 0.0, 2.0 * M_PI);
	sv->sigma = synth_range(r, 0.05, 0.30);
	sv->mem_frac = synth_range(r, SYNTH_MEM_LO, SYNTH_MEM_HI);
	sv->mem_step = 0.02 * sqrt(p->slot_s / 3600.0);
	for (k = 0; k < 4; k++)
		sv->io[k] = synth_range(r, 1.0, k < 2 ? 400.0 : 600.0);
	sv->burst_p = p->slot_s / day_s;
	if (sv->burst_p > SYNTH_BURST_MAX)
		sv->burst_p = SYNTH_BURST_MAX;
	sv->burst_left = 0;
	sv->burst_level = 0;
}

/* CPU use in a slot of diurnal `shape` (base multiplier), in [0, cap]. */
static double
synth_cpu(struct synth_vm *sv, double shape)
{
	double	 cpu;

	cpu = sv->base * shape * synth_noise(&sv->rng, sv->sigma);
	if (sv->burst_left == 0 && synth_unif(&sv->rng) < sv->burst_p) {
		sv->burst_left = 2 + (unsigned)(util_splitmix64(&sv->rng) % 11);
		sv->burst_level = synth_range(&sv->rng, 0.7, 1.0) * sv->cap;
	}
	if (sv->burst_left > 0) {
		sv->burst_left--;
		if (cpu < sv->burst_level)
			cpu = sv->burst_level;
	}
	return cpu < 0 ? 0 : cpu > sv->cap ? sv->cap : cpu;
}

/* Memory use share after one slot of drift, kept in [LO, HI]. */
static double
synth_mem(struct synth_vm *sv)
{
	double	 f = sv->mem_frac + sv->mem_step * synth_gauss(&sv->rng);

	if (f < SYNTH_MEM_LO)
		f = 2 * SYNTH_MEM_LO - f;
	if (f > SYNTH_MEM_HI)
		f = 2 * SYNTH_MEM_HI - f;
	if (f < SYNTH_MEM_LO)
		f = SYNTH_MEM_LO;
	if (f > SYNTH_MEM_HI)
		f = SYNTH_MEM_HI;
	sv->mem_frac = f;
	return f;
}

/* Allocates one VM's arrays, nslots long, all slots present. */
static int
synth_vm_alloc(struct trace_vm *vm, size_t nslots)
{
	int	 m;

	for (m = 0; m < TRACE_NMETRICS; m++)
		if ((vm->v[m] = calloc(nslots, sizeof(float))) == NULL)
			return -ENOMEM;
	if ((vm->present = malloc(nslots)) == NULL)
		return -ENOMEM;
	memset(vm->present, 1, nslots);
	return 0;
}

/* Fills VM i of the set. */
static int
synth_vm_fill(struct trace_set *set, size_t i, const struct synth_params *p,
    double day_s)
{
	struct trace_vm	*vm = &set->vms[i];
	struct synth_vm	 sv;
	double		 t, shape;
	size_t		 k;
	int		 m;

	vm->number = (unsigned)(i + 1);
	snprintf(vm->name, sizeof(vm->name), "vm-%zu", i + 1);
	synth_vm_init(&sv, vm, p->seed, i, p, day_s);
	if (synth_vm_alloc(vm, p->nslots) != 0)
		return -ENOMEM;
	for (k = 0; k < p->nslots; k++) {
		t = (double)p->start_s + (double)k * p->slot_s;
		shape = 1.0 + sv.amp * sin(2.0 * M_PI * t / day_s + sv.phase);
		vm->v[TRACE_CPU_MHZ][k] = (float)synth_cpu(&sv, shape);
		vm->v[TRACE_MEM_KB][k] = (float)(synth_mem(&sv) *
		    vm->mem_cap_kb);
		for (m = TRACE_DISK_RD_KBS; m <= TRACE_NET_TX_KBS; m++)
			vm->v[m][k] = (float)(sv.io[m - TRACE_DISK_RD_KBS] *
			    (0.5 + 0.5 * shape) * synth_noise(&sv.rng, 0.4));
	}
	return 0;
}

/* Slot number of time t: floor(t / slot_s), also for negative t. */
static int64_t
synth_slot(int64_t t, unsigned slot_s)
{
	int64_t	 s = (int64_t)slot_s, q = t / s;

	return (t % s != 0 && t < 0) ? q - 1 : q;
}

/*
 * Also -EINVAL for a NULL params or slot_s 0; day_s <= 0 (or not
 * finite) means one day of 86,400 s.
 */
int
synth_generate(const struct synth_params *p, struct trace_set **out)
{
	struct trace_set	*set;
	double			 day_s;
	size_t			 i;

	*out = NULL;
	if (p == NULL || p->nvms == 0 || p->nslots == 0 || p->slot_s == 0)
		return -EINVAL;
	day_s = isfinite(p->day_s) && p->day_s > 0 ? p->day_s : SYNTH_DAY_S;
	if ((set = calloc(1, sizeof(*set))) == NULL)
		return -ENOMEM;
	if ((set->vms = calloc(p->nvms, sizeof(*set->vms))) == NULL) {
		free(set);
		return -ENOMEM;
	}
	set->nvms = p->nvms;
	set->slot0 = synth_slot(p->start_s, p->slot_s);
	set->nslots = p->nslots;
	set->slot_s = p->slot_s;
	snprintf(set->source, sizeof(set->source), "synthetic seed %llu",
	    (unsigned long long)p->seed);
	for (i = 0; i < p->nvms; i++) {
		if (synth_vm_fill(set, i, p, day_s) != 0) {
			trace_free(set);
			return -ENOMEM;
		}
	}
	*out = set;
	return 0;
}
