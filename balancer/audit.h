/* SPDX-License-Identifier: ISC */
/*
 * audit: the balancer's decision log, one JSON object a line
 * ({"time": Unix ms, "event": "...", ...}), appended and flushed line by
 * line so that `tail -f` and log shippers see every decision at once.
 */
#ifndef BALLAST_AUDIT_H
#define BALLAST_AUDIT_H

#include <jansson.h>
#include <stddef.h>

struct audit;

/* Opens (creating) path for appending; NULL with a reason in err. */
struct audit	*audit_open(const char *path, char *err, size_t errlen);
void		 audit_close(struct audit *);

/*
 * Writes one line: event and the fields of obj (which it takes over;
 * obj may be NULL).  A NULL audit is allowed and writes nothing.
 * Returns 0 or -errno (a full disk: the caller logs it); then nothing
 * of the line stays in the file.
 */
int		 audit_log(struct audit *, const char *event, json_t *obj);

#endif
