/* SPDX-License-Identifier: ISC */
/*
 * fuzz_cconf: ballast-collectord's configuration parser
 * (collector/cconf.c over common/conf_lex.c) and cconf_check() on any
 * text.  Property: every refusal comes with a reason.
 */
#include <stdlib.h>
#include <string.h>

#include "cconf.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cconf	 c;
	char			 err[512];

	err[0] = '\0';
	if (cconf_parse("fuzz.conf", (const char *)data, size, &c, err,
	    sizeof(err)) < 0) {
		fuzz_assert(strncmp(err, "fuzz.conf:", 10) == 0,
		    "a refusal without file:line", err);
		return 0;
	}
	if (cconf_check(&c, err, sizeof(err)) < 0)
		fuzz_assert(err[0] != '\0', "a check failure without a reason",
		    NULL);
	return 0;
}
