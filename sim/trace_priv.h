/* SPDX-License-Identifier: ISC */
/*
 * trace_priv: what the trace loader's files share.  trace_csv.c parses
 * one N.csv file's text; trace_read.c finds the files in a folder or a
 * tar archive and reads each into the loader's buffer; trace.c keeps
 * the parsed VMs and assembles the set.  Not for other modules: use
 * trace.h.
 */
#ifndef BALLAST_TRACE_PRIV_H
#define BALLAST_TRACE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

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

/* Formats a reason into err (nothing when err is NULL or errlen 0). */
void	 trace_err(char *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/* Frees a VM's arrays and leaves them NULL (trace_csv.c). */
void	 trace_vm_release(struct trace_vm *);

/*
 * Whether file `num` should be read: 1 yes, 0 no (beyond max_vms),
 * -EEXIST (with a reason in ld->err) when a file with that number was
 * read already (trace.c).
 */
int	 trace_loader_wants(struct trace_loader *, unsigned num);

/*
 * Parses the buffered text of file `num` and keeps the VM, if any.
 * 0, or a negative errno with a reason in ld->err (trace.c).
 */
int	 trace_loader_add(struct trace_loader *, unsigned num);

/*
 * Reads the folder or archive at ld->path: every wanted N.csv goes
 * through trace_loader_add().  0, or a negative errno with a reason in
 * ld->err (trace_read.c).
 */
int	 trace_loader_read(struct trace_loader *);

#endif
