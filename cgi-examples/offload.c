/*
 * offload.c - a file sent by the web server instead of the handler:
 * /offload/NAME?via=nginx answers X-Accel-Redirect: /protected/NAME (an
 * internal location), ?via=apache X-Sendfile: $OFFLOAD_ROOT/NAME
 * (mod_xsendfile); with no via the handler streams the file itself.
 * OFFLOAD_ROOT is a variable the server sets (nginx.conf, apache.conf).
 */
#include <respond.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* One plain file name: letters, digits, '.', '_', '-', not starting with
 * '.'.  The handler decides what a client may ask for; the library only
 * refuses targets that break out or break the header. */
static int plain_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 100 || s[0] == '.')
		return 0;
	return strspn(s,
	           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	           "0123456789._-") == n;
}

static int offload(rsp_request *req, rsp_response *res, void *arg)
{
	const char *path = rsp_request_param(req, "PATH_INFO");
	const char *via = rsp_request_query(req, "via");
	const char *root = rsp_request_param(req, "OFFLOAD_ROOT");
	char target[512];
	(void)arg;

	if (path == NULL || path[0] != '/' || path[1] == '\0') {
		rsp_headers_set(res->headers, "Content-Type", "text/plain");
		return rsp_set_content(res,
		    "GET /offload/NAME?via=nginx or ?via=apache: "
		    "the web server sends the file NAME; without via, this handler does\n",
		    -1);
	}
	if (!plain_name(path + 1))
		return rsp_set_error(res, 404, "no such file");
	/* The type is the handler's: both servers keep it. */
	rsp_headers_set(res->headers, "Content-Type", "text/plain");

	if (via != NULL && strcmp(via, "nginx") == 0) {
		/* A URI, not a path: nginx's `internal` location maps it. */
		snprintf(target, sizeof(target), "/protected%s", path);
		return rsp_offload_file(res, RSP_OFFLOAD_NGINX, target);
	}
	if (root == NULL || root[0] != '/')
		return rsp_set_error(res, 500, "OFFLOAD_ROOT is not set");
	if ((size_t)snprintf(target, sizeof(target), "%s%s", root, path) >=
	    sizeof(target))
		return rsp_set_error(res, 404, "no such file");
	if (via != NULL && strcmp(via, "apache") == 0)
		return rsp_offload_file(res, RSP_OFFLOAD_APACHE, target);
	if (via != NULL)
		return rsp_set_error(res, 400, "via is nginx or apache");

	int fd = open(target, O_RDONLY);
	if (fd < 0)
		return rsp_set_error(res, 404, "no such file");
	int rc = rsp_set_content_file(res, fd);
	if (rc != RSP_OK)
		close(fd);
	return rc;
}

int main(void)
{
	return rsp_run(offload, NULL);
}
