/*
 * cookies.c - Set-Cookie in all three forms: a cookie with attributes, a
 * deletion, and a cookie queued and then taken back with rsp_unset_cookie.
 */
#include <respond.h>

static int cookies(rsp_request *req, rsp_response *res, void *arg)
{
	struct rsp_cookie session = {
		.httponly = true,
		.secure = true,
		.samesite = "Lax",
		.has_max_age = true,
		.max_age = 3600,
	};
	int rc;
	(void)arg;
	if ((rc = rsp_set_cookie(res, "session", "abc123", &session)) !=
	        RSP_OK ||
	    (rc = rsp_set_cookie(res, "theme", "dark", NULL)) != RSP_OK ||
	    (rc = rsp_set_cookie(res, "draft", "1", NULL)) != RSP_OK ||
	    (rc = rsp_delete_cookie(res, "old", "/", NULL)) != RSP_OK)
		return rc;
	/* Changed our mind: the draft cookie is not sent after all. */
	if ((rc = rsp_unset_cookie(res, "draft")) != RSP_OK)
		return rc;
	const char *seen = rsp_request_cookie(req, "theme");
	rsp_headers_set(res->headers, "Content-Type", "text/plain");
	rsp_add_content(res, "theme cookie sent by the client: ", -1);
	return rsp_add_content(res, seen ? seen : "(none)", -1);
}

int main(void)
{
	return rsp_run(cookies, NULL);
}
