/*
 * offload.c - handing a file to the web server instead of streaming it:
 * nginx's X-Accel-Redirect or Apache mod_xsendfile's X-Sendfile, named by
 * the caller on every call, never chosen by default (DESIGN.md 27).
 */
#include "internal.h"

#include <string.h>

/* Is s[0..len) exactly ".."? */
static bool is_dotdot(const char *s, size_t len)
{
	return len == 2 && s[0] == '.' && s[1] == '.';
}

/*
 * The rules both servers need: an absolute target ('/' first) that names a
 * file (not ending in '/'), with no control byte (CR and LF would end the
 * header line), no ".." segment (a way out of the directory the server
 * confines the targets to), and no '%' (both servers decode %XX escapes,
 * nginx always and mod_xsendfile by default, so the file reached would not
 * be the one named).  nginx also reads '?' as the start of a query and
 * would treat '#' as part of the path: a file target has neither.
 */
static int check_target(enum rsp_offload how, const char *t, size_t *len)
{
	if (t == NULL || t[0] != '/')
		return RSP_EINVAL;
	size_t n = strlen(t);
	if (t[n - 1] == '/')
		return RSP_EINVAL;
	size_t seg = 1; /* start of the current path segment */
	for (size_t i = 1; i <= n; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '/' || c == '\0') {
			if (is_dotdot(t + seg, i - seg))
				return RSP_EINVAL;
			seg = i + 1;
			continue;
		}
		if (c < 0x20 || c == 0x7f || c == '%')
			return RSP_EINVAL;
		if (how == RSP_OFFLOAD_NGINX && (c == '?' || c == '#'))
			return RSP_EINVAL;
	}
	*len = n;
	return RSP_OK;
}

int rsp_offload_file(rsp_response *res, enum rsp_offload how,
    const char *target)
{
	static const char nginx[] = "X-Accel-Redirect", apache[] = "X-Sendfile";
	size_t len = 0;

	if (res == NULL ||
	    (how != RSP_OFFLOAD_NGINX && how != RSP_OFFLOAD_APACHE) ||
	    check_target(how, target, &len) != RSP_OK)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (rsp__writer_used(res->writer))
		return RSP_ESTATE;
	const char *name = how == RSP_OFFLOAD_NGINX ? nginx : apache;
	const char *other = how == RSP_OFFLOAD_NGINX ? apache : nginx;
	/* The one step that can fail goes first, so a failure changes nothing
	 * (in the NPH flavour the header rules refuse the name: no server
	 * would read it). */
	int rc = rsp__headers_add(&r->headers, name, strlen(name), target, len,
	    true);
	if (rc != RSP_OK)
		return rc;
	/* One file: the last call wins, whichever server it names. */
	rsp_headers_remove(&r->headers, other);
	/* The server frames the file it sends; a length the handler set
	 * would describe a body that never goes out. */
	rsp_headers_remove(&r->headers, "Content-Length");
	rsp__content_clear(r);
	/* mod_xsendfile acts on a 200 only and otherwise passes the header on
	 * to the client; nginx answers with the file's own status anyway. */
	r->status = 200;
	r->status_msg = NULL;
	return RSP_OK;
}
