/* respond-run: run a CGI program (RFC 3875) for one request built from
 * curl-like options, check what it writes against RFC 3875 and HTTP, and
 * print the response; or, with --check-only, check a captured response.
 * It does not answer through librespond (it takes only the library's
 * grammar helpers and its write loop), and works with any CGI or NPH
 * program.  respond-run.h maps the parts. */
#define _GNU_SOURCE 1

#include <signal.h>

#include "respond-run.h"

int main(int argc, char **argv)
{
	/* static: everything allocated stays reachable until exit */
	static struct opts o;
	static struct request rq;
	static struct output out;
	static struct child ch;

	signal(SIGPIPE, SIG_IGN);
	guard_std_fds();
	parse_args(&o, argc, argv);
	if (o.check_only)
		return check_only(&o);
	build_request(&o, &rq);
	check_program(&rq, o.program);
	output_open(&out, &o, rq.head);
	spawn(&ch, &rq, o.program);
	return pump(&ch, &rq, &out, &o);
}
