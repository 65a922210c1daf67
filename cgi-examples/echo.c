/*
 * echo.c - the request as JSON: method, query parameters, form fields,
 * uploads, cookies and headers, each list in the order it arrived.
 */
#include <respond.h>
#include <stdio.h>

typedef bool (*next_fn)(rsp_request *req, size_t *pos, const char **n,
    const char **v);

static void put(struct rsp_buffer *b, const char *s)
{
	rsp_json_string(b, s, -1);
}

static void raw(struct rsp_buffer *b, const char *s)
{
	/* rsp_json_string escapes; JSON punctuation is appended as it is. */
	rsp_buffer_append(b, s, -1);
}

static bool query_next(rsp_request *r, size_t *p, const char **n,
    const char **v)
{
	return rsp_request_query_next(r, p, n, v);
}
static bool cookie_next(rsp_request *r, size_t *p, const char **n,
    const char **v)
{
	return rsp_request_cookie_next(r, p, n, v);
}
static bool header_next(rsp_request *r, size_t *p, const char **n,
    const char **v)
{
	return rsp_request_header_next(r, p, n, v);
}

/* "key": [["name", "value"], ...] */
static void pairs(struct rsp_buffer *b, rsp_request *req, const char *key,
    next_fn next)
{
	const char *n, *v;
	size_t pos = 0;
	bool first = true;
	put(b, key);
	raw(b, ": [");
	while (next(req, &pos, &n, &v)) {
		raw(b, first ? "[" : ", [");
		put(b, n);
		raw(b, ", ");
		put(b, v);
		raw(b, "]");
		first = false;
	}
	raw(b, "]");
}

static int echo(rsp_request *req, rsp_response *res, void *arg)
{
	struct rsp_buffer b = { 0 };
	const struct rsp_upload *up;
	char num[32];
	size_t pos = 0;
	bool first = true;
	(void)arg;

	raw(&b, "{");
	put(&b, "method");
	raw(&b, ": ");
	put(&b, rsp_request_method(req));
	raw(&b, ", ");
	pairs(&b, req, "query", query_next);
	raw(&b, ", ");
	pairs(&b, req, "form", rsp_request_form_next);
	raw(&b, ", ");
	put(&b, "uploads");
	raw(&b, ": [");
	while ((up = rsp_request_upload_next(req, &pos)) != NULL) {
		raw(&b, first ? "{" : ", {");
		put(&b, "name");
		raw(&b, ": ");
		put(&b, up->name);
		raw(&b, ", ");
		put(&b, "filename");
		raw(&b, ": ");
		put(&b, up->filename);
		raw(&b, ", ");
		put(&b, "type");
		raw(&b, ": ");
		put(&b, up->content_type);
		snprintf(num, sizeof(num), ", \"bytes\": %zu}", up->len);
		raw(&b, num);
		first = false;
	}
	raw(&b, "], ");
	pairs(&b, req, "cookies", cookie_next);
	raw(&b, ", ");
	pairs(&b, req, "headers", header_next);
	raw(&b, "}\n");

	int rc =
	    rsp_headers_set(res->headers, "Content-Type", "application/json");
	if (rc == RSP_OK)
		rc = rsp_set_content(res, b.data, (ssize_t)b.len);
	rsp_buffer_free(&b);
	return rc;
}

int main(void)
{
	return rsp_run(echo, NULL);
}
