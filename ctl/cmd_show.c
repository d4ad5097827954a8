/* SPDX-License-Identifier: ISC */
/*
 * cmd_show: ballastctl's read-only views.  See cmd_show.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd_show.h"
#include "ctl_api.h"
#include "fmt.h"
#include "fmt_traffic.h"
#include "log.h"
#include "util.h"

int
cmd_status(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	return ctl_simple(ctl, "/api/v1/status", fmt_status, "an object");
}

int
cmd_hosts(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	return ctl_simple(ctl, "/api/v1/hosts", fmt_hosts, "an array");
}

int
cmd_vms(const struct ctl *ctl, int nargs, char **args)
{
	json_t	*all, *sel;
	int	 rc;

	(void)nargs;
	(void)args;
	if (ctl->host == NULL)
		return ctl_simple(ctl, "/api/v1/vms", fmt_vms, "an array");
	if ((all = ctl_get(ctl, "/api/v1/vms")) == NULL)
		return EXIT_API;
	if ((sel = fmt_vms_on_host(all, ctl->host)) == NULL) {
		json_decref(all);
		return ctl_unexpected(ctl, "/api/v1/vms", "an array");
	}
	rc = ctl_show(ctl, sel, fmt_vms, "/api/v1/vms", "an array");
	json_decref(sel);
	json_decref(all);
	return rc;
}

int
cmd_host(const struct ctl *ctl, int nargs, char **args)
{
	char		 esc[CTL_NAME_LEN * 3], path[CTL_NAME_LEN * 3 + 32];
	const char	*name = args[0];

	(void)nargs;
	if (ctl_escape(esc, sizeof(esc), name) == -1) {
		log_warnx("the host name \"%.40s...\" is too long", name);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/api/v1/hosts/%s", esc);
	return ctl_simple(ctl, path, fmt_host, "an object");
}

/* Whether `vm` is an object whose "name" is `name`. */
static int
ctl_vm_named(const json_t *vm, const char *name)
{
	const json_t	*v;

	v = json_is_object(vm) ? json_object_get(vm, "name") : NULL;
	return json_is_string(v) && strcmp(json_string_value(v), name) == 0;
}

/*
 * The one VM named `name` in the array `vms`, or NULL after printing
 * that there is none or, with their UUIDs, that several share it.
 */
static json_t *
ctl_pick_vm(const struct ctl *ctl, json_t *vms, const char *name)
{
	static const struct fmt_field uuid = { "uuid", "uuid", FMT_STR };
	static const struct fmt_field host = { "host", "host", FMT_STR };
	char		 b1[FMT_CELL_LEN], b2[FMT_CELL_LEN];
	char		 s1[FMT_CELL_LEN], s2[FMT_CELL_LEN];
	json_t		*vm, *found = NULL;
	size_t		 i, n = 0;

	json_array_foreach(vms, i, vm) {
		if (ctl_vm_named(vm, name)) {
			found = vm;
			n++;
		}
	}
	if (n == 1)
		return found;
	if (n == 0) {
		log_warnx("no VM is named \"%s\" at %s: see 'ballastctl vms'",
		    name, ctl->api);
		return NULL;
	}
	log_warnx("%zu VMs are named \"%s\": give one of these UUIDs", n,
	    name);
	json_array_foreach(vms, i, vm) {
		if (!ctl_vm_named(vm, name))
			continue;
		fmt_sanitize(s1, sizeof(s1), fmt_value(vm, &uuid, b1));
		fmt_sanitize(s2, sizeof(s2), fmt_value(vm, &host, b2));
		fprintf(stderr, "  %s on %s\n", s1, s2);
	}
	return NULL;
}

int
cmd_vm(const struct ctl *ctl, int nargs, char **args)
{
	uint8_t		 uuid[UTIL_UUID_LEN];
	char		 canon[UTIL_UUID_STRLEN], path[64];
	const char	*arg = args[0];
	json_t		*vms, *vm;
	int		 rc;

	(void)nargs;
	if (util_uuid_parse(arg, uuid) == 0) {
		util_uuid_fmt(uuid, canon);
		snprintf(path, sizeof(path), "/api/v1/vms/%s", canon);
		return ctl_simple(ctl, path, fmt_vm, "an object");
	}
	if ((vms = ctl_get(ctl, "/api/v1/vms")) == NULL)
		return EXIT_API;
	if (!json_is_array(vms)) {
		json_decref(vms);
		return ctl_unexpected(ctl, "/api/v1/vms", "an array");
	}
	if ((vm = ctl_pick_vm(ctl, vms, arg)) == NULL)
		rc = EXIT_API;
	else
		rc = ctl_show(ctl, vm, fmt_vm, "/api/v1/vms", "an object");
	json_decref(vms);
	return rc;
}

int
cmd_traffic(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	return ctl_simple(ctl, "/api/v1/traffic", fmt_traffic, "an object");
}
