/* diag.c - respond-run's messages.  The checker's findings (violations and
 * warnings) are collected and printed after the program's output has ended,
 * so that they never interleave with the program's own standard error;
 * errors of the run itself and usage errors go out at once. */
#include <stdio.h>
#include <stdlib.h>

#include "respond-run.h"

#define DIAG_CAP 50 /* diagnostics printed before summarising */

static struct {
	char **lines;
	size_t n, dropped;
	unsigned violations, warnings;
} diags;

/* The checker's callback: one finding, rendered as the checker words it;
 * arg, when not NULL, is what a body not printed for HEAD adds. */
void diag_note(void *arg, const struct rsp_check_note *n)
{
	int violation = rsp_check_is_violation(n->code);
	const char *head_note = arg;
	if (violation)
		diags.violations++;
	else
		diags.warnings++;
	if (diags.n >= DIAG_CAP) {
		diags.dropped++;
		return;
	}
	int len = rsp_check_format(n, NULL, 0);
	char *msg = xrealloc(NULL, (size_t)len + 1);
	rsp_check_format(n, msg, (size_t)len + 1);
	diags.lines =
	    xrealloc(diags.lines, (diags.n + 1) * sizeof *diags.lines);
	diags.lines[diags.n++] = xasprintf("%s: %s: %s%s\n", PROG,
	    violation ? "violation" : "warning", msg,
	    head_note && n->code == RSP_CHECK_HEAD_BODY ? head_note : "");
	free(msg);
}

unsigned diags_violations(void)
{
	return diags.violations;
}

void diags_print(void)
{
	for (size_t i = 0; i < diags.n; i++)
		err_puts(diags.lines[i]);
	if (diags.dropped) {
		char *s =
		    xasprintf("%s: note: %zu more violations and warnings not "
		              "shown\n",
		        PROG, diags.dropped);
		err_puts(s);
		free(s);
	}
}

/* An error of the run itself (exit status 1). */
void error_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	char *line = xasprintf("%s: error: %s\n", PROG, msg);
	err_puts(line);
	free(line);
	free(msg);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	char *line =
	    xasprintf("%s: %s\nTry '%s --help' for more information.\n", PROG,
	        msg, PROG);
	err_puts(line);
	free(line);
	free(msg);
	exit(EXIT_USAGE);
}
