/*
 * files.c - a directory served the way browsers and download managers
 * expect: the file at PATH_INFO beneath RSP_FILES_ROOT (default: the
 * current directory), with ETag, Last-Modified, 304/412, ranges, a media
 * type, and ?download=1 for an attachment.  CGI and FastCGI alike.
 */
#define _POSIX_C_SOURCE 200809L /* O_DIRECTORY, O_CLOEXEC */
#include <respond.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int files(rsp_request *req, rsp_response *res, void *arg)
{
	int root = *(const int *)arg;
	const char *path = rsp_request_param(req, "PATH_INFO");
	const char *download = rsp_request_query(req, "download");
	const char *m = rsp_request_method(req);
	unsigned flags = 0;

	if (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) {
		rsp_headers_set(res->headers, "Allow", "GET, HEAD");
		return rsp_set_error(res, 405, "GET or HEAD only");
	}
	if (path == NULL)
		path = "";
	/* PATH_INFO is "/name": the name is relative to the root. */
	while (*path == '/')
		path++;
	if (download != NULL && strcmp(download, "1") == 0)
		flags |= RSP_FILE_ATTACHMENT;
	return rsp_serve_file(res, root, path, flags);
}

int main(void)
{
	const char *dir = getenv("RSP_FILES_ROOT");
	/* Opened once: the handler serves this directory even if its name
	 * moves, and no request can name another. */
	int root = open(dir != NULL && *dir != '\0' ? dir : ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return 1;
	int rc = rsp_run(files, &root);
	close(root);
	return rc;
}
