/*
 * redirect.c - HTTP redirects (301/302/303/307/308 with a checked Location
 * and a tiny body) and the CGI local redirect of RFC 3875 section 6.2.2,
 * where the server itself fetches the new path.
 */
#include "internal.h"

#include <ctype.h>

/* RFC 3986 URI-reference bytes: unreserved, reserved and '%' + 2 HEXDIG. */
static bool uri_reference(const char *s, size_t n, bool fragment_ok)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]))
				return false;
			i += 2;
			continue;
		}
		if (c == '#' && !fragment_ok)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') ||
		        (c != 0 &&
		            strchr("-._~:/?#[]@!$&'()*+,;=", c) != NULL)))
			return false;
	}
	return true;
}

int rsp_redirect(rsp_response *res, int code, const char *location)
{
	if (res == NULL || location == NULL)
		return RSP_EINVAL;
	if (code != 301 && code != 302 && code != 303 && code != 307 &&
	    code != 308)
		return RSP_EINVAL;
	size_t n = strlen(location);
	if (!uri_reference(location, n, true))
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	struct rsp_buffer *b = rsp__writer_scratch(res->writer);
	b->len = 0;
	int rc = rsp__buf_append(b, "Redirecting to ", 15);
	if (rc == RSP_OK)
		rc = rsp__buf_append(b, location, n);
	if (rc == RSP_OK)
		rc = rsp__buf_append(b, "\n", 1);
	if (rc == RSP_OK)
		rc = rsp__headers_add(&r->headers, "Location", 8, location, n,
		    true);
	if (rc == RSP_OK)
		rc = rsp__headers_add(&r->headers, "Content-Type", 12,
		    "text/plain; charset=utf-8", 25, true);
	if (rc == RSP_OK)
		rc = rsp_set_content(res, b->data, (ssize_t)b->len);
	b->len = 0;
	if (rc == RSP_OK)
		rc = rsp_set_status(res, code, NULL);
	return rc;
}

int rsp_cgi_local_redirect(rsp_response *res, const char *path)
{
	if (res == NULL || path == NULL)
		return RSP_EINVAL;
	size_t n = strlen(path);
	/* local-pathquery = abs-path [ "?" query-string ] */
	if (path[0] != '/' || (n > 1 && path[1] == '/') ||
	    !uri_reference(path, n, false))
		return RSP_EINVAL;
	if (rsp_flavour(res) != RSP_CGI || rsp__writer_used(res->writer))
		return RSP_ESTATE;
	/* The whole response: one header line, no status, no body. */
	struct rsp_buffer *b = rsp__writer_scratch(res->writer);
	b->len = 0;
	int rc = rsp__buf_append(b, "Location: ", 10);
	if (rc == RSP_OK)
		rc = rsp__buf_append(b, path, n);
	if (rc == RSP_OK)
		rc = rsp__buf_append(b, "\r\n\r\n", 4);
	if (rc == RSP_OK)
		rc =
		    rsp_writer_write_raw(res->writer, b->data, (ssize_t)b->len);
	b->len = 0;
	if (rc == RSP_OK)
		rsp__content_clear(rsp__res(res));
	return rc;
}
