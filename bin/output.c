/* output.c - what PROGRAM writes: every byte through the checker
 * (common/checker.c), the body to standard output or -o FILE, with -i the
 * status line and header block first; --check-only runs the same checker
 * over standard input. */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "respond-run.h"
#include "internal.h"

static void out_write(struct output *r, const void *d, size_t n)
{
	if (r->dead || n == 0)
		return;
	int e = write_all(r->fd, d, n);
	if (e) {
		r->dead = 1;
		if (e != EPIPE) {
			r->failed = 1;
			error_msg("cannot write to %s: %s", r->name,
			    strerror(e));
		}
	}
}

static int flavour_of(const struct opts *o)
{
	if (o->flavour >= 0)
		return o->flavour;
	if (rsp__nph_name(o->program))
		return RSP_CHECK_NPH;
	return RSP_CHECK_CGI;
}

void output_open(struct output *r, const struct opts *o, int head)
{
	int flavour = flavour_of(o);
	r->nph = flavour == RSP_CHECK_NPH;
	r->head = head;
	r->include = o->include;
	r->proto = o->http2 ? "HTTP/2.0" : "HTTP/1.1";
	r->fd = 1;
	r->name = "standard output";
	rsp_check_init(&r->check, (enum rsp_check_flavour)flavour,
	    head ? RSP_CHECK_HEAD : 0, r->hdr, sizeof r->hdr, diag_note,
	    (void *)"; it is not printed");
	if (o->output) {
		r->fd = open(o->output,
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (r->fd < 0)
			usage_error("-o: cannot create '%s': %s", o->output,
			    strerror(errno));
		r->name = o->output;
	}
}

/* -i: for NPH the header block as written; for CGI a status line from the
 * Status field (or 302 with Location, or 200), then the lines as written
 * without Status. */
static void print_header(struct output *r)
{
	struct rsp_check_report rep;
	struct rsp_check_line l;
	size_t pos = 0;

	if (!r->include)
		return;
	rsp_check_peek(&r->check, &rep);
	if (r->nph) {
		out_write(r, r->hdr, rep.header_len);
		return;
	}
	struct buf o = { 0 };
	buf_adds(&o, r->proto);
	buf_adds(&o, " ");
	if (rep.status) {
		char code[8];
		snprintf(code, sizeof code, "%03d ", rep.status);
		buf_adds(&o, code);
		buf_add(&o, rep.status_reason, rep.status_reason_len);
	} else if (rep.bad_status) {
		buf_add(&o, rep.bad_status, rep.bad_status_len);
	}
	buf_adds(&o, "\r\n");
	while (rsp_check_next_line(&r->check, &pos, &l))
		if (!(l.name_len > 0 && ieq(l.p, l.name_len, "Status")))
			buf_add(&o, l.p, l.len + l.term);
	out_write(r, o.p, o.len);
	buf_free(&o);
}

void output_feed(struct output *r, const char *d, size_t n)
{
	int was_body = rsp_check_in_body(&r->check);
	size_t h = rsp_check_feed(&r->check, d, n);
	if (!rsp_check_in_body(&r->check))
		return;
	if (!was_body)
		print_header(r);
	if (!r->head)
		out_write(r, d + h, n - h);
}

/* End of output: the checks that need the whole response; a header block
 * that never ended is still printed with -i. */
void output_finish(struct output *r)
{
	struct rsp_check_report rep;
	rsp_check_peek(&r->check, &rep);
	int unended = !rsp_check_in_body(&r->check) && rep.header_len > 0 &&
	    rep.header_len < sizeof r->hdr;
	rsp_check_finish(&r->check, NULL);
	if (unended)
		print_header(r);
}

void output_close(struct output *r)
{
	if (r->fd != 1 && close(r->fd) != 0 && !r->failed) {
		r->failed = 1;
		error_msg("cannot write to %s: %s", r->name, strerror(errno));
	}
}

/* --check-only: standard input is the response; nothing is printed but
 * the findings. */
int check_only(const struct opts *o)
{
	static struct output r;
	static char chunk[65536];
	int head = o->method && strcmp(o->method, "HEAD") == 0;

	rsp_check_init(&r.check, (enum rsp_check_flavour)flavour_of(o),
	    head ? RSP_CHECK_HEAD : 0, r.hdr, sizeof r.hdr, diag_note, NULL);
	for (;;) {
		ssize_t rd = read(0, chunk, sizeof chunk);
		if (rd < 0 && errno == EINTR)
			continue;
		if (rd < 0) {
			error_msg("cannot read standard input: %s",
			    strerror(errno));
			return EXIT_FAILED;
		}
		if (rd == 0)
			break;
		rsp_check_feed(&r.check, chunk, (size_t)rd);
	}
	rsp_check_finish(&r.check, NULL);
	diags_print();
	return diags_violations() ? EXIT_VIOLATION : EXIT_GOOD;
}
