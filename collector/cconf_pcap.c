/* SPDX-License-Identifier: ISC */
/*
 * The pcap statements of ballast-collectord's configuration (see
 * cconf.h and ballast-collectord(8), TRAFFIC).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cconf_priv.h"
#include "conf_file.h"
#include "util.h"

/* A number argument in [min, max]. */
static int
cp_uint(struct cconf_parser *ps, const char *what, int64_t min, int64_t max,
    unsigned *out)
{
	char	 buf[32];
	int64_t	 v;
	int	 rc;

	if ((rc = cconf_arg(ps, "a number", buf, sizeof(buf))) < 0)
		return rc;
	if (util_parse_i64(buf, min, max, &v) < 0)
		return cconf_error(ps, "pcap %s is a whole number from %lld to "
		    "%lld, not \"%s\"", what, (long long)min, (long long)max, buf);
	*out = (unsigned)v;
	return 0;
}

static int
cp_buffer(struct cconf_parser *ps, struct cconf_pcap *p)
{
	char	 buf[32];
	int	 rc;

	if ((rc = cconf_arg(ps, "a size such as 4M", buf, sizeof(buf))) < 0)
		return rc;
	if (util_parse_bytes(buf, &p->buffer) < 0 || p->buffer < 4096 ||
	    p->buffer > (1ULL << 30))
		return cconf_error(ps, "pcap buffer is a size from 4K to 1G, "
		    "not \"%s\"", buf);
	return 0;
}

/* yes or no into *out. */
static int
cp_yesno(struct cconf_parser *ps, const char *what, int *out)
{
	char	 buf[16];
	int	 rc;

	if ((rc = cconf_arg(ps, "yes or no", buf, sizeof(buf))) < 0)
		return rc;
	if (strcmp(buf, "yes") != 0 && strcmp(buf, "no") != 0)
		return cconf_error(ps, "pcap %s is yes or no, not \"%s\"", what,
		    buf);
	*out = buf[0] == 'y';
	return 0;
}

/* mac or ip: one more address of the entry. */
static int
cp_addr(struct cconf_parser *ps, struct cconf_pcap_ent *e, int mac)
{
	char	 buf[64];
	uint8_t	*a;
	int	 rc;

	if ((rc = cconf_arg(ps, mac ? "a MAC address" : "an IP address", buf,
	    sizeof(buf))) < 0)
		return rc;
	if (e->naddrs == CCONF_PCAP_MAX_ADDRS)
		return cconf_error(ps, "pcap: at most %d addresses per entry",
		    CCONF_PCAP_MAX_ADDRS);
	a = e->addr[e->naddrs];
	if (mac && util_parse_mac(buf, a) == 0)
		e->alen[e->naddrs] = 6;
	else if (!mac && inet_pton(AF_INET, buf, a) == 1)
		e->alen[e->naddrs] = 4;
	else if (!mac && inet_pton(AF_INET6, buf, a) == 1)
		e->alen[e->naddrs] = 16;
	else
		return cconf_error(ps, "pcap %s: not %s: \"%s\"", mac ? "mac" :
		    "ip", mac ? "a MAC address like 52:54:00:12:34:56" :
		    "an IPv4 or IPv6 address", buf);
	e->naddrs++;
	return 0;
}

static int
cp_uuid(struct cconf_parser *ps, struct cconf_pcap_ent *e)
{
	char	 buf[64];
	int	 rc;

	if ((rc = cconf_arg(ps, "a UUID", buf, sizeof(buf))) < 0)
		return rc;
	if (util_uuid_parse(buf, e->uuid) < 0)
		return cconf_error(ps, "pcap uuid wants the 36-character form, "
		    "not \"%s\"", buf);
	e->has_uuid = 1;
	return 0;
}

/* One word of the statement and its argument; *ent set if it names an
 * entry's part. */
static int
cp_word(struct cconf_parser *ps, struct cconf_pcap_ent *e, int *ent)
{
	struct cconf_pcap	*p = &ps->c.pcap;
	const char		*w = ps->lx.text;

	*ent |= strcmp(w, "interface") == 0 || strcmp(w, "vm") == 0 ||
	    strcmp(w, "uuid") == 0 || strcmp(w, "mac") == 0 ||
	    strcmp(w, "ip") == 0;
	if (strcmp(w, "buffer") == 0)
		return cp_buffer(ps, p);
	if (strcmp(w, "filter") == 0)
		return cconf_arg(ps, "a BPF filter", p->filter,
		    sizeof(p->filter));
	if (strcmp(w, "immediate") == 0)
		return cp_yesno(ps, "immediate", &p->immediate);
	if (strcmp(w, "interface") == 0)
		return cconf_arg(ps, "an interface name", e->ifname,
		    sizeof(e->ifname));
	if (strcmp(w, "libvirt") == 0)
		return cp_yesno(ps, "libvirt", &p->libvirt);
	if (strcmp(w, "ip") == 0 || strcmp(w, "mac") == 0)
		return cp_addr(ps, e, w[0] == 'm');
	if (strcmp(w, "sample") == 0)
		return cp_uint(ps, "sample", 1, 1000000, &p->sample);
	if (strcmp(w, "snaplen") == 0)
		return cp_uint(ps, "snaplen", 64, 65535, &p->snaplen);
	if (strcmp(w, "top") == 0)
		return cp_uint(ps, "top", 1, 256, &p->top);
	if (strcmp(w, "uuid") == 0)
		return cp_uuid(ps, e);
	if (strcmp(w, "vm") == 0)
		return cconf_arg(ps, "a VM name", e->vm, sizeof(e->vm));
	return cconf_error(ps, "unknown pcap keyword \"%s\" (see "
	    "ballast-collectord(8))", w);
}

static int
cp_entry(struct cconf_parser *ps, const struct cconf_pcap_ent *e)
{
	struct cconf_pcap	*p = &ps->c.pcap;

	if (!e->has_uuid && (e->naddrs != 0 || e->vm[0] != '\0'))
		return cconf_error(ps, "pcap: a vm or its addresses need the "
		    "VM's uuid");
	if (p->n == CCONF_PCAP_MAX)
		return cconf_error(ps, "pcap: at most %d entries", CCONF_PCAP_MAX);
	p->ent[p->n++] = *e;
	return 1;
}

int
cconf_pcap_stmt(struct cconf_parser *ps)
{
	struct cconf_pcap_ent	 e;
	enum conf_tok		 t;
	int			 rc, ent = 0, n = 0;

	memset(&e, 0, sizeof(e));
	while ((t = conf_lex_next(&ps->lx)) == CONF_T_WORD) {
		if ((rc = cp_word(ps, &e, &ent)) < 0)
			return rc;
		n++;
	}
	if (t == CONF_T_ERROR)
		return cconf_error(ps, "%s", ps->lx.err);
	if (n == 0)
		return cconf_error(ps, "pcap wants an interface, a vm or an "
		    "option (see ballast-collectord(8))");
	return ent ? cp_entry(ps, &e) : 1;
}

int
cconf_pcap_check(struct cconf_pcap *p, char *err, size_t errlen)
{
	unsigned	 k, ifs = 0;

	for (k = 0; k < p->n; k++)
		ifs += p->ent[k].ifname[0] != '\0';
	if (p->n != 0 && ifs == 0 && !p->libvirt) {
		snprintf(err, errlen, "pcap: VM addresses but no interface to "
		    "capture on");
		return -EINVAL;
	}
	return 0;
}

static void
cp_print_addr(const uint8_t *a, unsigned len, char *out, size_t outlen)
{
	if (len == 6)
		snprintf(out, outlen, "mac %02x:%02x:%02x:%02x:%02x:%02x",
		    a[0], a[1], a[2], a[3], a[4], a[5]);
	else {
		util_strlcpy(out, "ip ", outlen);
		inet_ntop(len == 4 ? AF_INET : AF_INET6, a, out + 3,
		    (socklen_t)(outlen - 3));
	}
}

static void
cp_print_ent(const struct cconf_pcap_ent *e, char *buf, size_t len,
    size_t *n)
{
	char		 q[sizeof(e->vm) * 2 + 3], id[UTIL_UUID_STRLEN], a[64];
	unsigned	 k;

	cconf_append(buf, len, n, "pcap");
	if (e->ifname[0] != '\0') {
		conf_file_quote(e->ifname, q, sizeof(q));
		cconf_append(buf, len, n, " interface %s", q);
	}
	if (e->vm[0] != '\0') {
		conf_file_quote(e->vm, q, sizeof(q));
		cconf_append(buf, len, n, " vm %s", q);
	}
	if (e->has_uuid) {
		util_uuid_fmt(e->uuid, id);
		cconf_append(buf, len, n, " uuid %s", id);
	}
	for (k = 0; k < e->naddrs; k++) {
		cp_print_addr(e->addr[k], e->alen[k], a, sizeof(a));
		cconf_append(buf, len, n, " %s", a);
	}
	cconf_append(buf, len, n, "\n");
}

void
cconf_pcap_print(const struct cconf_pcap *p, char *buf, size_t len,
    size_t *n)
{
	char		 q[sizeof(p->filter) * 2 + 3];
	unsigned	 k;

	conf_file_quote(p->filter, q, sizeof(q));
	cconf_append(buf, len, n, "pcap sample %u snaplen %u buffer %llu top %u "
	    "immediate %s libvirt %s filter %s\n", p->sample, p->snaplen,
	    (unsigned long long)p->buffer, p->top, p->immediate ? "yes" : "no",
	    p->libvirt ? "yes" : "no", q);
	for (k = 0; k < p->n; k++)
		cp_print_ent(&p->ent[k], buf, len, n);
}
