/*
 * error.c - a JSON error, byte for byte what wptserve's set_error sends:
 * 404 for any path but /ok, with the path in the message.
 */
#include <respond.h>
#include <stdio.h>
#include <string.h>

static int error(rsp_request *req, rsp_response *res, void *arg)
{
	const char *path = rsp_request_param(req, "PATH_INFO");
	char msg[256];
	(void)arg;
	if (path != NULL && strcmp(path, "/ok") == 0) {
		rsp_headers_set(res->headers, "Content-Type", "text/plain");
		return rsp_set_content(res, "fine\n", -1);
	}
	snprintf(msg, sizeof(msg), "nothing at \"%s\"", path ? path : "");
	return rsp_set_error(res, 404, msg);
}

int main(void)
{
	return rsp_run(error, NULL);
}
