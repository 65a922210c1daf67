/*
 * head.c - HEAD requests: the headers are those a GET gets, Content-Length
 * included, and the body is left out unless the handler asks for it with
 * send_body_for_head_request (query ?send_body=1).
 */
#include <respond.h>
#include <string.h>

static int head(rsp_request *req, rsp_response *res, void *arg)
{
	const char *send = rsp_request_query(req, "send_body");
	(void)arg;
	res->send_body_for_head_request =
	    send != NULL && strcmp(send, "1") == 0;
	rsp_headers_set(res->headers, "Content-Type", "text/plain");
	rsp_headers_set(res->headers, "X-Method", rsp_request_method(req));
	return rsp_set_content(res, "a body that HEAD does not get\n", -1);
}

int main(void)
{
	return rsp_run(head, NULL);
}
