/*
 * conditional.c - conditional requests (RFC 9110 section 13): entity-tag
 * lists compared strongly or weakly, the four preconditions evaluated in
 * section 13.2.2's order, and the 304 and 412 answers they lead to.
 */
#include "internal.h"

#include <string.h>
#include <time.h>

/* Fields a 304 drops: representation metadata that describes a body it
 * does not carry (RFC 9110 section 15.4.5 keeps Cache-Control,
 * Content-Location, Date, ETag, Expires and Vary; Last-Modified stays as
 * the cache-update hint that section names; Set-Cookie and other
 * non-representation fields stay too). */
/* clang-format off */
#define NOT_MODIFIED_DROPS(X) \
	X("Content-Type") X("Content-Length") X("Content-Encoding") \
	X("Content-Language") X("Content-Range") X("Content-Disposition") \
	X("Accept-Ranges")
/* clang-format on */

/* entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E /
 * obs-text.  Its length at s, or 0 when s[0..len) does not start with one;
 * *weak and the opaque-tag (quotes included) come back. */
size_t rsp__etag_scan(const char *s, size_t len, bool *weak,
    const char **opaque, size_t *olen)
{
	size_t i = 0;
	*weak = false;
	if (len >= 2 && s[0] == 'W' && s[1] == '/') {
		*weak = true;
		i = 2;
	}
	if (i >= len || s[i] != '"')
		return 0;
	size_t start = i++;
	for (; i < len && s[i] != '"'; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x21 || c == 0x7f)
			return 0;
	}
	if (i >= len)
		return 0;
	*opaque = s + start;
	*olen = i + 1 - start;
	return i + 1;
}

/*
 * Does the If-Match / If-None-Match value list[0..len) match the current
 * entity-tag?  "*" matches any current representation; otherwise a list of
 * entity-tags, empty elements allowed (RFC 9110 section 5.6.1).  Strong
 * comparison needs both tags strong; weak compares the opaque tags only.
 * A malformed list matches nothing from the bad element on.
 */
bool rsp__etag_match(const char *list, size_t len, const char *etag,
    size_t elen, bool weak_compare)
{
	bool cur_weak;
	const char *cur;
	size_t clen;
	size_t i = 0;

	while (i < len && rsp__is_ws(list[i]))
		i++;
	size_t end = len;
	while (end > i && rsp__is_ws(list[end - 1]))
		end--;
	/* The handler is answering, so a current representation exists. */
	if (end - i == 1 && list[i] == '*')
		return true;
	if (etag == NULL)
		return false;
	/* The usual case: the client sends back exactly the tag it got. */
	if (end - i == elen && memcmp(list + i, etag, elen) == 0 &&
	    (weak_compare || etag[0] != 'W') && etag[elen - 1] == '"')
		return true;
	if (rsp__etag_scan(etag, elen, &cur_weak, &cur, &clen) != elen)
		return false;
	while (i < end) {
		if (list[i] == ',' || rsp__is_ws(list[i])) {
			i++;
			continue;
		}
		bool weak;
		const char *op;
		size_t olen;
		size_t n = rsp__etag_scan(list + i, end - i, &weak, &op, &olen);
		if (n == 0)
			return false;
		if (olen == clen && memcmp(op, cur, clen) == 0 &&
		    (weak_compare || (!weak && !cur_weak)))
			return true;
		i += n;
		if (i < end && !rsp__is_ws(list[i]) && list[i] != ',')
			return false;
	}
	return false;
}

static bool field_date(const char *v, time_t now, time_t *t)
{
	return v != NULL &&
	    rsp__parse_http_date(v, strlen(v), now, t) == RSP_OK;
}

/*
 * The decision alone, for the parsers' tests and fuzzing: 0 (go on), 304
 * or 412.  Each field is NULL when absent; lm is RSP_NO_DATE when unknown.
 */
int rsp__preconditions(const char *method, const char *if_match,
    const char *if_unmodified, const char *if_none_match,
    const char *if_modified, const char *etag, time_t lm, time_t now)
{
	size_t elen = etag ? strlen(etag) : 0;
	bool get_head =
	    strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	time_t t;

	/* 1, 2: the state the client expects must hold. */
	if (if_match != NULL) {
		if (!rsp__etag_match(if_match, strlen(if_match), etag, elen,
		        false))
			return 412;
	} else if (if_unmodified != NULL && lm != RSP_NO_DATE &&
	    field_date(if_unmodified, now, &t) && lm > t) {
		return 412;
	}
	/* 3, 4: the client's copy may already be current. */
	if (if_none_match != NULL) {
		if (rsp__etag_match(if_none_match, strlen(if_none_match), etag,
		        elen, true))
			return get_head ? 304 : 412;
	} else if (get_head && if_modified != NULL && lm != RSP_NO_DATE &&
	    field_date(if_modified, now, &t) && t <= now && lm <= t) {
		/* A date later than the server's clock is no date (RFC 9110
		 * section 13.1.3): a copy stamped in the future proves nothing. */
		return 304;
	}
	return 0;
}

static bool dropped_by_304(const struct rsp__header *h)
{
#define DROP_(lit)                              \
	if (RSP__IS(h->name, h->name_len, lit)) \
		return true;
	NOT_MODIFIED_DROPS(DROP_)
#undef DROP_
	return false;
}

static int not_modified(struct rsp__response *r)
{
	/* One pass, order kept (a name's values stay together). */
	rsp_headers *h = &r->headers;
	size_t k = 0;
	for (size_t i = 0; i < h->n; i++)
		if (!dropped_by_304(&h->v[i]))
			h->v[k++] = h->v[i];
	h->n = k;
	rsp__content_clear(r);
	r->status = 304;
	r->status_msg = NULL;
	return 304;
}

/* The validators become the response's fields, as every answer carries
 * them (200, 206 and 304 alike). */
static int set_validators(struct rsp__response *r, const char *etag, time_t lm,
    bool trusted)
{
	int rc;
	if (etag != NULL && !trusted) {
		bool weak;
		const char *op;
		size_t olen, n = strlen(etag);
		if (rsp__etag_scan(etag, n, &weak, &op, &olen) != n)
			return RSP_EINVAL;
	}
	char date[30];
	if (lm != RSP_NO_DATE && rsp__imf_fixdate(lm, date) != RSP_OK)
		return RSP_EINVAL;
	if (etag != NULL &&
	    (rc = rsp_headers_set(&r->headers, "ETag", etag)) != RSP_OK)
		return rc;
	if (lm != RSP_NO_DATE &&
	    (rc = rsp_headers_set(&r->headers, "Last-Modified", date)) !=
	        RSP_OK)
		return rc;
	return RSP_OK;
}

int rsp__check_preconditions(rsp_response *res, const char *etag,
    time_t last_modified, bool trusted)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (rsp__writer_used(res->writer))
		return RSP_ESTATE;
	int rc = set_validators(r, etag, last_modified, trusted);
	if (rc != RSP_OK)
		return rc;
	const rsp_request *req = res->request;
	if (req == NULL)
		return 0;
	/* From the request's index, not handed out (only read during this
	 * call); a field the order makes irrelevant is not even looked up. */
	const char *im = rsp__request_var(req, RSP__V_IF_MATCH);
	const char *ius =
	    im ? NULL : rsp__request_var(req, RSP__V_IF_UNMODIFIED_SINCE);
	const char *inm = rsp__request_var(req, RSP__V_IF_NONE_MATCH);
	const char *ims =
	    inm ? NULL : rsp__request_var(req, RSP__V_IF_MODIFIED_SINCE);
	int verdict = rsp__preconditions(rsp_request_method(req), im, ius, inm,
	    ims, etag, last_modified, time(NULL));
	if (verdict == 304)
		return not_modified(r);
	if (verdict == 412) {
		rc = rsp_set_error(res, 412, "Precondition Failed");
		return rc == RSP_OK ? 412 : rc;
	}
	return 0;
}

int rsp_check_preconditions(rsp_response *res, const char *etag,
    time_t last_modified)
{
	return rsp__check_preconditions(res, etag, last_modified, false);
}
