/*
 * handle.c - one request through the handler, the same in every mode: a
 * refused request answered without calling it, a handler that fails
 * before writing answered with a 500, and whatever it left unsent sent.
 */
#include "internal.h"

#include <stdio.h>

static int bad_request_code(int st)
{
	return st == RSP_ELIMIT ? 413 : 400;
}

void rsp__handle(const struct rsp__app *app, rsp_request *req, rsp_response *res)
{
	struct rsp__response *r = rsp__res(res);
	int st = rsp_request_status(req);

	if (st != RSP_OK && !app->opts.see_bad_requests) {
		rsp_set_error(res, bad_request_code(st), rsp_strerror(st));
		return;
	}
	int rc = app->handler(req, res, app->arg);
	if (rc != 0 && !r->writer.used && !r->writer.finished) {
		char msg[96];
		if (rc < 0 && rc >= RSP_ECALLBACK)
			snprintf(msg, sizeof(msg), "handler failed: %s", rsp_strerror(rc));
		else
			snprintf(msg, sizeof(msg), "handler failed with status %d", rc);
		rsp_set_error(res, 500, msg);
	}
}

int rsp__handle_end(rsp_response *res)
{
	struct rsp__response *r = rsp__res(res);
	if (r->writer.finished)
		return r->writer.err ? r->writer.err : RSP_OK;
	return rsp_finish(res);
}
