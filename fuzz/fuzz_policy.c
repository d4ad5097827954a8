/* SPDX-License-Identifier: ISC */
/*
 * fuzz_policy: the policy language's parser (policies/parse.c,
 * parse_rule.c, units.c) on any text.  Properties: a refusal has a
 * "file:line:col: ..." reason; an accepted policy printed with
 * policy_print() parses again to a policy that prints the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy.h"

/* p printed into a malloc'd string. */
static char *
fuzz_print(const struct policy *p, size_t *len)
{
	char	*buf = NULL;
	FILE	*f;

	if ((f = open_memstream(&buf, len)) == NULL)
		abort();
	policy_print(p, f);
	if (fclose(f) != 0)
		abort();
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct policy	 p, again;
	char			 err[512], *out, *out2;
	size_t			 len, len2;

	err[0] = '\0';
	if (policy_parse("fuzz.policy", (const char *)data, size, &p, err,
	    sizeof(err)) < 0) {
		fuzz_assert(strncmp(err, "fuzz.policy:", 12) == 0,
		    "a refusal without file:line", err);
		return 0;
	}
	out = fuzz_print(&p, &len);
	fuzz_assert(policy_parse("printed", out, len, &again, err,
	    sizeof(err)) == 0, "a printed policy does not parse", err);
	out2 = fuzz_print(&again, &len2);
	fuzz_assert(len == len2 && memcmp(out, out2, len) == 0,
	    "a printed policy prints differently once parsed", NULL);
	free(out);
	free(out2);
	return 0;
}
