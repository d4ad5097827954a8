/* SPDX-License-Identifier: ISC */
/*
 * fuzz_conf: ballast-balancerd.conf's parser (balancer/conf.c with
 * conf_snmp.c, over common/conf_lex.c) on any text.  Properties: a
 * refusal has a "file:line..." reason; an accepted configuration
 * printed with conf_print() parses again and prints the same (but for
 * the operator token, which conf_print() never shows).
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"

#define PRINTED	(64 * 1024)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf	 c, again;
	static char		 out[PRINTED], out2[PRINTED];
	char			 err[512];

	err[0] = '\0';
	if (conf_parse("fuzz.conf", (const char *)data, size, &c, err,
	    sizeof(err)) < 0) {
		fuzz_assert(strncmp(err, "fuzz.conf:", 10) == 0,
		    "a refusal without file:line", err);
		return 0;
	}
	c.api_token[0] = '\0';
	conf_print(&c, out, sizeof(out));
	fuzz_assert(conf_parse("printed", out, strlen(out), &again, err,
	    sizeof(err)) == 0, "a printed configuration does not parse", err);
	conf_print(&again, out2, sizeof(out2));
	fuzz_assert(strcmp(out, out2) == 0,
	    "a printed configuration prints differently once parsed", out);
	return 0;
}
