/*
 * form.c - the form in the body: application/x-www-form-urlencoded pairs or
 * multipart/form-data parts (fields, and uploads: the parts with a
 * filename), parsed once on the first form or upload call.
 */
#include "request_int.h"

#include <string.h>

static const char *form_reason(enum form_kind kind, int rc)
{
	if (rc == RSP_ENOMEM)
		return "out of memory parsing the form";
	if (kind == FORM_URLENCODED)
		return rc == RSP_ELIMIT
		    ? "urlencoded form has more than max_params pairs"
		    : "urlencoded form holds a NUL byte (%00)";
	return rc == RSP_ELIMIT
	    ? "multipart form over max_parts or max_part_header"
	    : "multipart form body is malformed";
}

/* The form's kind by CONTENT_TYPE; a multipart one's boundary too. */
static int form_type(rsp_request *req, const char *ct, enum form_kind *kind,
    const char **bnd, size_t *blen)
{
	size_t ctlen = strlen(ct);
	*kind = FORM_NONE;
	if (rsp__media_type_is(ct, ctlen,
	        "application/x-www-form-urlencoded")) {
		*kind = FORM_URLENCODED;
	} else if (rsp__media_type_is(ct, ctlen, "multipart/form-data")) {
		*kind = FORM_MULTIPART;
		int rc = rsp__multipart_boundary(&req->arena, ct, ctlen,
		    req->lim.max_boundary, bnd, blen);
		if (rc != RSP_OK) {
			req->form_why = "multipart/form-data without one valid "
			                "boundary parameter";
			return rc;
		}
	}
	return RSP_OK;
}

int rsp__req_form_load(rsp_request *req)
{
	if (req->form_done)
		return req->form_err;
	req->form_done = true;

	int rc = rsp__req_cl_check(req);
	const char *ct = rsp__req_env(req, RSP__V_CTYPE);
	if (ct == NULL || (rc == RSP_OK && !req->declared))
		return req->form_err = RSP_OK;
	const char *bnd = NULL;
	size_t blen = 0;
	enum form_kind kind;
	if ((rc = form_type(req, ct, &kind, &bnd, &blen)) != RSP_OK)
		return req->form_err = rc;
	if (kind == FORM_NONE)
		return req->form_err = RSP_OK;
	if ((rc = rsp__req_body_load(req)) != RSP_OK) {
		req->form_why = req->body_why;
		return req->form_err = rc;
	}

	if (kind == FORM_URLENCODED)
		rc = rsp__urlencoded_parse(&req->arena, (const char *)req->body,
		    req->body_len, req->lim.max_params, &req->form);
	else
		rc = rsp__multipart_parse(&req->arena, req->body, req->body_len,
		    bnd, blen, &req->lim, &req->mp);
	if (rc != RSP_OK) {
		memset(&req->form, 0, sizeof(req->form));
		memset(&req->mp, 0, sizeof(req->mp));
		req->form_why = form_reason(kind, rc);
		kind = FORM_NONE;
	}
	req->form_kind = kind;
	return req->form_err = rc;
}

/* A form getter's check: on failure the reason becomes the request's. */
static bool form_failed(rsp_request *req)
{
	if (rsp__req_form_load(req) == RSP_OK)
		return false;
	req->why = req->form_why;
	return true;
}

/*
 * The next form field from *pos, whatever the kind: the one place that
 * tells urlencoded pairs from multipart parts (of which those without a
 * filename are the fields).
 */
static bool field_next(const rsp_request *req, size_t *pos, const char **name,
    const char **value)
{
	if (req->form_kind == FORM_URLENCODED)
		return rsp__pairs_next(&req->form, pos, name, value);
	for (size_t i = *pos; i < req->mp.n; i++) {
		if (req->mp.v[i].value == NULL)
			continue;
		*name = req->mp.v[i].up.name;
		*value = req->mp.v[i].value;
		*pos = i + 1;
		return true;
	}
	*pos = req->mp.n;
	return false;
}

const char *rsp_request_form(rsp_request *req, const char *name)
{
	if (req == NULL || name == NULL || form_failed(req))
		return NULL;
	size_t pos = 0;
	const char *n, *v;
	while (field_next(req, &pos, &n, &v))
		if (strcmp(n, name) == 0)
			return v;
	return NULL;
}

size_t rsp_request_form_all(rsp_request *req, const char *name,
    const char **values, size_t max)
{
	if (req == NULL || name == NULL || form_failed(req))
		return 0;
	size_t pos = 0, count = 0;
	const char *n, *v;
	while (field_next(req, &pos, &n, &v)) {
		if (strcmp(n, name) != 0)
			continue;
		if (values != NULL && count < max)
			values[count] = v;
		count++;
	}
	return count;
}

bool rsp_request_form_next(rsp_request *req, size_t *pos, const char **name,
    const char **value)
{
	const char *n, *v;
	if (req == NULL || pos == NULL || form_failed(req) ||
	    !field_next(req, pos, &n, &v))
		return false;
	if (name != NULL)
		*name = n;
	if (value != NULL)
		*value = v;
	return true;
}

const struct rsp_upload *rsp_request_upload(rsp_request *req, const char *name)
{
	if (req == NULL || name == NULL || form_failed(req))
		return NULL;
	for (size_t i = 0; i < req->mp.n; i++)
		if (req->mp.v[i].value == NULL &&
		    strcmp(req->mp.v[i].up.name, name) == 0)
			return &req->mp.v[i].up;
	return NULL;
}

const struct rsp_upload *rsp_request_upload_next(rsp_request *req, size_t *pos)
{
	if (req == NULL || pos == NULL || form_failed(req))
		return NULL;
	for (size_t i = *pos; i < req->mp.n; i++) {
		if (req->mp.v[i].value == NULL) {
			*pos = i + 1;
			return &req->mp.v[i].up;
		}
	}
	*pos = req->mp.n;
	return NULL;
}
