/*
 * refusal.c - what the runner does when a request is refused or a handler
 * fails: one log line with the reason (request text escaped), and a
 * generic JSON error for the client, which never sees library internals.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define LOG_METHOD 40
#define LOG_TARGET 300
#define LOG_REASON 400

/* "GET /x": the method and the request target, escaped for a log line. */
static void describe(rsp_request *req, char *method, char *target)
{
	const char *m = req != NULL ? rsp_request_method(req) : "GET";
	rsp__escape_log(method, LOG_METHOD, m, strlen(m));
	const char *uri =
	    req != NULL ? rsp_request_param(req, "REQUEST_URI") : NULL;
	if (uri != NULL && *uri != '\0') {
		rsp__escape_log(target, LOG_TARGET, uri, strlen(uri));
		return;
	}
	const char *sn =
	    req != NULL ? rsp_request_param(req, "SCRIPT_NAME") : NULL;
	const char *pi =
	    req != NULL ? rsp_request_param(req, "PATH_INFO") : NULL;
	size_t n = rsp__escape_log(target, LOG_TARGET, sn ? sn : "",
	    sn ? strlen(sn) : 0);
	rsp__escape_log(target + n, LOG_TARGET - n, pi ? pi : "",
	    pi ? strlen(pi) : 0);
	if (target[0] == '\0')
		memcpy(target, "-", 2);
}

static void log_line(rsp_request *req, rsp_response *res, int code,
    const char *reason)
{
	char method[LOG_METHOD], target[LOG_TARGET], why[LOG_REASON];
	describe(req, method, target);
	rsp__escape_log(why, sizeof(why), reason, strlen(reason));
	rsp__log(rsp__res(res), "respond: %d %s %s: %s\n", code, method, target,
	    why);
}

void rsp__refuse_request(rsp_request *req, rsp_response *res, int st)
{
	int code = rsp__request_refusal_status(req, st);
	log_line(req, res, code, rsp_request_errmsg(req));
	rsp__set_error_quiet(res, code, rsp_status_reason(code));
}

void rsp__handler_failed(rsp_request *req, rsp_response *res, int rc)
{
	const char *detail = rsp_response_errmsg(res);
	char reason[LOG_REASON];
	if (*detail == '\0')
		detail = rsp_strerror(rc);
	if (rc < 0 && rc >= RSP_ECALLBACK)
		snprintf(reason, sizeof(reason), "handler returned %s: %s",
		    rsp_err_name(rc), detail);
	else
		snprintf(reason, sizeof(reason), "handler returned %d", rc);
	bool silent =
	    rsp__writer_used(res->writer) || rsp__writer_finished(res->writer);
	log_line(req, res, 500, reason);
	if (!silent)
		rsp__set_error_quiet(res, 500, rsp_status_reason(500));
}

void rsp__check_response(rsp_request *req, rsp_response *res)
{
	struct rsp__response *r = rsp__res(res);
	if (rsp__writer_used(res->writer) ||
	    rsp__writer_finished(res->writer) ||
	    (r->status != 204 && r->status != 205))
		return;
	/* What rsp_finish would refuse before writing a byte: answer 500 with
	 * the reason in the log rather than nothing at all. */
	for (size_t i = 0; i < r->headers.n; i++) {
		const struct rsp__header *h = &r->headers.v[i];
		if (RSP__IS(h->name, h->name_len, "Content-Length") &&
		    rsp__cl_allowed(&r->why, r->status, h->value,
		        h->value_len) != RSP_OK) {
			char reason[LOG_REASON];
			snprintf(reason, sizeof(reason), "response refused: %s",
			    rsp_response_errmsg(res));
			log_line(req, res, 500, reason);
			rsp__set_error_quiet(res, 500, rsp_status_reason(500));
			return;
		}
	}
}

void rsp__hint_unread_body(rsp_request *req, rsp_response *res)
{
	if (rsp__request_unread_input(req))
		rsp__log(rsp__res(res),
		    "respond: standard input holds bytes but "
		    "CONTENT_LENGTH is not set, so the body is ignored (RFC 3875 "
		    "4.1.2); set CONTENT_LENGTH to its length in bytes\n");
}
