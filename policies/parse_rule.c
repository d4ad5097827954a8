/* SPDX-License-Identifier: ISC */
/*
 * The placement statements of the policy grammar:
 *
 *   rule "NAME" must|should affinity|anti-affinity vms "GLOB"...
 *   rule "NAME" must|should run|avoid vms "GLOB"... [on] hosts "GLOB"...
 *   pin vms "GLOB"...
 *   maintenance hosts "GLOB"...
 *   keep-together traffic above RATE [weight W]
 *
 * Names and globs are always in double quotes, so that a list of them
 * ends unambiguously at the next keyword.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "util.h"

/* Takes the current token, a non-empty string shorter than len. */
static int
pp_take_string(struct pp *pp, const char *what, char *buf, size_t len)
{
	const char	*s;
	char		 expect[96];

	if (pp->lx.tok == CONF_T_WORD)
		return pp_error(pp, "write %s in double quotes: \"%s\"", what,
		    pp->lx.text);
	snprintf(expect, sizeof(expect), "%s in double quotes", what);
	if (pp->lx.tok != CONF_T_STRING)
		return pp_expected(pp, expect);
	if (pp->lx.text[0] == '\0')
		return pp_error(pp, "%s is empty", what);
	for (s = pp->lx.text; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return pp_error(pp, "%s holds a control character",
			    what);
	if (util_strlcpy(buf, pp->lx.text, len) >= len)
		return pp_error(pp, "%s \"%.40s...\" is too long: at most %zu "
		    "characters", what, pp->lx.text, len - 1);
	return 0;
}

/*
 * Reads one or more quoted globs into sel, after those it holds;
 * `kind` is "VM" or "host", `whose` names the list for messages.
 */
static int
pp_globs(struct pp *pp, const char *kind, const char *whose,
    struct policy_sel *sel)
{
	enum conf_tok	 t;
	char		 what[64];
	int		 n, rc;

	snprintf(what, sizeof(what), "a %s name or glob", kind);
	for (n = 0;; n++) {
		t = pp_next(pp);
		if (n > 0 && t != CONF_T_STRING) {
			pp_unread(pp);
			return 0;
		}
		if (t == CONF_T_STRING && sel->n >= POLICY_MAX_GLOBS)
			return pp_error(pp, "too many globs for %s: at most %d",
			    whose, POLICY_MAX_GLOBS);
		if ((rc = pp_take_string(pp, what, sel->globs[sel->n],
		    POLICY_GLOB_MAX)) < 0)
			return rc;
		sel->n++;
	}
}

/* The VMs of a rule: "vms" and its globs. */
static int
pp_rule_vms(struct pp *pp, struct policy_rule *r, const char *kind)
{
	char	 whose[POLICY_NAME_MAX + 32];

	if (pp_next(pp) != CONF_T_WORD || strcmp(pp->lx.text, "vms") != 0) {
		if (pp->lx.tok == CONF_T_ERROR)
			return pp_expected(pp, "vms");
		return pp_error(pp, "rule \"%s\" names no VMs: add vms "
		    "\"GLOB\" after %s", r->name, kind);
	}
	snprintf(whose, sizeof(whose), "the VMs of rule \"%s\"", r->name);
	return pp_globs(pp, "VM", whose, &r->vms);
}

/* The hosts of a run or avoid rule: "[on] hosts" and its globs. */
static int
pp_rule_hosts(struct pp *pp, struct policy_rule *r)
{
	char	 whose[POLICY_NAME_MAX + 32];

	if (pp_next(pp) == CONF_T_WORD && strcmp(pp->lx.text, "on") == 0)
		pp_next(pp);
	if (pp->lx.tok != CONF_T_WORD || strcmp(pp->lx.text, "hosts") != 0) {
		if (pp->lx.tok == CONF_T_ERROR)
			return pp_expected(pp, "hosts");
		return pp_error(pp, "rule \"%s\" names no hosts: add on hosts "
		    "\"GLOB\" after its VMs", r->name);
	}
	snprintf(whose, sizeof(whose), "the hosts of rule \"%s\"", r->name);
	return pp_globs(pp, "host", whose, &r->hosts);
}

/* An affinity rule ends after its VMs; say so to one naming hosts. */
static int
pp_rule_no_hosts(struct pp *pp, const char *kind)
{
	if (pp_next(pp) == CONF_T_WORD && (strcmp(pp->lx.text, "on") == 0 ||
	    strcmp(pp->lx.text, "hosts") == 0))
		return pp_error(pp, "%s names no hosts: tie VMs to hosts with "
		    "run or avoid", kind);
	pp_unread(pp);
	return 0;
}

/* A rule whose name is new: 0, or the error naming the first one. */
static int
pp_rule_unique(struct pp *pp, const char *name)
{
	size_t	 i;

	for (i = 0; i < pp->p->nrules; i++)
		if (strcmp(pp->p->rules[i].name, name) == 0)
			return pp_error(pp, "rule \"%s\" is already defined at "
			    "line %d: give each rule its own name", name,
			    pp->p->rules[i].line);
	return 0;
}

int
pp_rule(struct pp *pp)
{
	static const char *const strengths[] = { "must", "should" };
	static const char *const kinds[] = {
		"affinity", "anti-affinity", "run", "avoid"
	};
	struct policy_rule	 r;
	int			 v, rc;

	memset(&r, 0, sizeof(r));
	r.line = pp->lx.tline;
	if (pp->p->nrules >= POLICY_MAX_RULES)
		return pp_error(pp, "too many rules: at most %d (one rule may "
		    "take several globs)", POLICY_MAX_RULES);
	pp_next(pp);
	if ((rc = pp_take_string(pp, "the rule name", r.name,
	    sizeof(r.name))) < 0 || (rc = pp_rule_unique(pp, r.name)) < 0)
		return rc;
	if ((v = pp_choice(pp, "must or should", strengths, 2)) < 0)
		return v;
	r.strength = (enum policy_strength)v;
	if ((v = pp_choice(pp, "affinity, anti-affinity, run or avoid", kinds,
	    4)) < 0)
		return v;
	r.kind = (enum policy_rule_kind)v;
	if ((rc = pp_rule_vms(pp, &r, kinds[v])) < 0)
		return rc;
	if (r.kind == POLICY_VM_HOST || r.kind == POLICY_NOT_VM_HOST)
		rc = pp_rule_hosts(pp, &r);
	else
		rc = pp_rule_no_hosts(pp, kinds[v]);
	if (rc < 0)
		return rc;
	pp->p->rules[pp->p->nrules++] = r;
	return 0;
}

int
pp_pin(struct pp *pp)
{
	int	 rc;

	if ((rc = pp_word(pp, "vms")) < 0)
		return rc;
	return pp_globs(pp, "VM", "pinned VMs", &pp->p->pinned);
}

int
pp_maintenance(struct pp *pp)
{
	int	 rc;

	if ((rc = pp_word(pp, "hosts")) < 0)
		return rc;
	return pp_globs(pp, "host", "hosts in maintenance",
	    &pp->p->maintenance);
}

/* keep-together traffic above RATE [weight W], once per policy. */
int
pp_keep_together(struct pp *pp)
{
	struct policy_keep	 k;
	int			 rc;

	if (pp->p->keep_together.set)
		return pp_error(pp, "keep-together is already set at line %d: "
		    "one threshold per policy", pp->p->keep_together.line);
	memset(&k, 0, sizeof(k));
	k.set = 1;
	k.weight = 1.0;
	k.line = pp->lx.tline;
	if ((rc = pp_word(pp, "traffic")) < 0)
		return rc;
	if (pp_next(pp) == CONF_T_ERROR && pp->lx.p < pp->lx.end &&
	    *pp->lx.p == '>')
		return pp_error(pp, "write \"above\", not '>', as in: "
		    "keep-together traffic above 10MiB/s");
	pp_unread(pp);
	if ((rc = pp_word(pp, "above")) < 0 ||
	    (rc = pp_rate(pp, "the keep-together threshold", 1024,
	    (uint64_t)1 << 40, &k.min_bps)) < 0)
		return rc;
	if (pp_next(pp) == CONF_T_WORD && strcmp(pp->lx.text, "weight") == 0) {
		if ((rc = pp_number(pp, "the keep-together weight", 0.1, 10,
		    &k.weight)) < 0)
			return rc;
	} else
		pp_unread(pp);
	pp->p->keep_together = k;
	return 0;
}
