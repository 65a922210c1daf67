/*
 * handle.c - one request through the handler, the same in every mode: a
 * refused request answered without calling it, a handler that fails before
 * writing answered with a 500, and whatever it left unsent sent.  What
 * went wrong goes to the log, never to the client (refusal.c).
 */
#include "internal.h"

void rsp__handle(const struct rsp__app *app, rsp_request *req,
    rsp_response *res)
{
	int st = rsp_request_status(req);

	rsp__hint_unread_body(req, res);
	if (st != RSP_OK && !app->opts.see_bad_requests) {
		rsp__refuse_request(req, res, st);
		return;
	}
	int rc = app->handler(req, res, app->arg);
	if (rc != 0)
		rsp__handler_failed(req, res, rc);
	else
		rsp__check_response(req, res);
}

int rsp__handle_end(rsp_response *res)
{
	if (rsp__writer_finished(res->writer))
		return rsp__writer_error(res->writer);
	return rsp_finish(res);
}
