/*
 * upload.c - a multipart/form-data upload: each file's field name, file
 * name, type, size and a checksum, and the plain fields beside them.
 * Large uploads live in an unlinked temporary file, not on the heap.
 */
#include <respond.h>
#include <stdio.h>

/* FNV-1a, enough to show the bytes arrived intact. */
static unsigned long fnv1a(const unsigned char *p, size_t n)
{
	unsigned long h = 2166136261ul;
	for (size_t i = 0; i < n; i++)
		h = ((h ^ p[i]) * 16777619ul) & 0xfffffffful;
	return h;
}

static int upload(rsp_request *req, rsp_response *res, void *arg)
{
	const struct rsp_upload *up;
	const char *name, *value;
	char line[512];
	size_t pos = 0;
	int n = 0;
	(void)arg;

	if (rsp_request_status(req) != RSP_OK)
		return rsp_set_error(res, 400,
		    rsp_strerror(rsp_request_status(req)));
	rsp_headers_set(res->headers, "Content-Type", "text/plain");
	while ((up = rsp_request_upload_next(req, &pos)) != NULL) {
		snprintf(line, sizeof(line),
		    "file %s: %s (%s), %zu bytes, fnv1a %08lx\n", up->name,
		    up->filename, up->content_type, up->len,
		    fnv1a(up->data, up->len));
		rsp_add_content(res, line, -1);
		n++;
	}
	pos = 0;
	while (rsp_request_form_next(req, &pos, &name, &value)) {
		snprintf(line, sizeof(line), "field %s: %s\n", name, value);
		rsp_add_content(res, line, -1);
	}
	if (n == 0)
		rsp_add_content(res, "no files\n", -1);
	return RSP_OK;
}

int main(void)
{
	return rsp_run(upload, NULL);
}
