/*
 * fcgi_record.c - the FastCGI 1.0 record layer, with no I/O: record headers
 * read and written, a request's name-value pairs turned into CGI
 * environment strings, and the fixed-size records the application sends.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

void rsp__fcgi_hdr_read(const unsigned char *p, struct rsp__fcgi_hdr *h)
{
	h->version = p[0];
	h->type = p[1];
	h->id = (unsigned)p[2] << 8 | p[3];
	h->clen = (size_t)p[4] << 8 | p[5];
	h->plen = p[6];
}

void rsp__fcgi_hdr_write(unsigned char *p, int type, unsigned id, size_t clen)
{
	p[0] = RSP__FCGI_VERSION;
	p[1] = (unsigned char)type;
	p[2] = (unsigned char)(id >> 8);
	p[3] = (unsigned char)id;
	p[4] = (unsigned char)(clen >> 8);
	p[5] = (unsigned char)clen;
	p[6] = p[7] = 0;
}

size_t rsp__fcgi_end_request(unsigned char out[16], unsigned id,
    uint32_t app_status, int protocol_status)
{
	rsp__fcgi_hdr_write(out, RSP__FCGI_END_REQUEST, id, 8);
	out[8] = (unsigned char)(app_status >> 24);
	out[9] = (unsigned char)(app_status >> 16);
	out[10] = (unsigned char)(app_status >> 8);
	out[11] = (unsigned char)app_status;
	out[12] = (unsigned char)protocol_status;
	out[13] = out[14] = out[15] = 0;
	return 16;
}

/* A pair length: one byte below 128, else four with the top bit set. */
static bool read_len(const unsigned char **p, const unsigned char *end,
    size_t *len)
{
	if (*p >= end)
		return false;
	if (**p < 0x80) {
		*len = *(*p)++;
		return true;
	}
	if (end - *p < 4)
		return false;
	*len = ((size_t)((*p)[0] & 0x7f) << 24) | (size_t)(*p)[1] << 16 |
	    (size_t)(*p)[2] << 8 | (*p)[3];
	*p += 4;
	return true;
}

/*
 * One pair at *p: its name and value, bounds checked against end before
 * anything is read (lengths up to 2^31 cannot wrap a size_t pointer sum
 * because they are compared with what remains).
 */
static bool read_pair(const unsigned char **p, const unsigned char *end,
    const unsigned char **name, size_t *nlen, const unsigned char **value,
    size_t *vlen)
{
	if (!read_len(p, end, nlen) || !read_len(p, end, vlen))
		return false;
	size_t left = (size_t)(end - *p);
	if (*nlen > left || *vlen > left - *nlen)
		return false;
	*name = *p;
	*value = *p + *nlen;
	*p += *nlen + *vlen;
	return true;
}

/* A name the CGI environment can carry: not empty, no '=' and no NUL. */
static bool env_name_ok(const unsigned char *s, size_t len)
{
	return len > 0 && memchr(s, '=', len) == NULL &&
	    memchr(s, '\0', len) == NULL;
}

static int env_reserve(char ***envp, size_t *cap, size_t need)
{
	if (need <= *cap)
		return RSP_OK;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	char **v = realloc(*envp, n * sizeof(*v));
	if (v == NULL)
		return RSP_ENOMEM;
	*envp = v;
	*cap = n;
	return RSP_OK;
}

/*
 * Every "NAME=VALUE" string is written over the bytes of its own pair, in
 * place: a pair takes at least two length bytes plus name and value, the
 * string takes name, value, '=' and NUL, so the writing position never
 * passes the reading one and no second buffer is needed.
 */
int rsp__fcgi_params_decode(char *buf, size_t len, char ***envp, size_t *cap,
    size_t *count)
{
	const unsigned char *p = (const unsigned char *)buf;
	const unsigned char *end = len > 0 ? p + len : p; /* buf may be NULL */
	char *out = buf;
	size_t n = 0;

	while (p < end) {
		const unsigned char *name, *value;
		size_t nlen, vlen;
		if (!read_pair(&p, end, &name, &nlen, &value, &vlen))
			return RSP_EBADREQ;
		/* Unrepresentable pairs are left out rather than truncated. */
		if (!env_name_ok(name, nlen) ||
		    memchr(value, '\0', vlen) != NULL)
			continue;
		if (env_reserve(envp, cap, n + 2) != RSP_OK)
			return RSP_ENOMEM;
		memmove(out, name, nlen);
		out[nlen] = '=';
		memmove(out + nlen + 1, value, vlen);
		out[nlen + 1 + vlen] = '\0';
		(*envp)[n++] = out;
		out += nlen + vlen + 2;
	}
	if (env_reserve(envp, cap, n + 1) != RSP_OK)
		return RSP_ENOMEM;
	(*envp)[n] = NULL;
	*count = n;
	return RSP_OK;
}

/* Variable names are case-sensitive. */
static bool is_name(const unsigned char *s, size_t len, const char *lit)
{
	return len == strlen(lit) && memcmp(s, lit, len) == 0;
}

/* Append one pair to out (at most outcap bytes), short names and values;
 * pairs are length-prefixed, not NUL-terminated. */
static size_t put_pair(unsigned char *out, size_t outcap,
    const unsigned char *name, size_t nlen, const char *value)
{
	size_t vlen = strlen(value);
	if (nlen > 127 || vlen > 127 || outcap < 2 + nlen + vlen)
		return 0;
	out[0] = (unsigned char)nlen;
	out[1] = (unsigned char)vlen;
	for (size_t i = 0; i < nlen; i++)
		out[2 + i] = name[i];
	for (size_t i = 0; i < vlen; i++)
		out[2 + nlen + i] = (unsigned char)value[i];
	return 2 + nlen + vlen;
}

size_t rsp__fcgi_get_values_result(const unsigned char *q, size_t qlen,
    unsigned char *out, size_t outcap, unsigned max_conns, unsigned max_reqs)
{
	const unsigned char *p = q, *end = q + qlen;
	size_t n = RSP__FCGI_HDR_LEN;
	char num[24];

	if (outcap < RSP__FCGI_HDR_LEN)
		return 0;
	while (p < end) {
		const unsigned char *name, *value;
		size_t nlen, vlen;
		if (!read_pair(&p, end, &name, &nlen, &value, &vlen))
			break; /* a malformed query: answer what was understood */
		const char *v = NULL;
		if (is_name(name, nlen, "FCGI_MAX_CONNS"))
			v = num, snprintf(num, sizeof(num), "%u", max_conns);
		else if (is_name(name, nlen, "FCGI_MAX_REQS"))
			v = num, snprintf(num, sizeof(num), "%u", max_reqs);
		else if (is_name(name, nlen, "FCGI_MPXS_CONNS"))
			v = "0";
		if (v == NULL)
			continue; /* unknown variables are left out (spec 4.1) */
		n += put_pair(out + n, outcap - n, name, nlen, v);
	}
	size_t clen = n - RSP__FCGI_HDR_LEN;
	size_t pad = (8 - clen % 8) % 8;
	if (n + pad > outcap)
		pad = 0;
	memset(out + n, 0, pad);
	rsp__fcgi_hdr_write(out, RSP__FCGI_GET_VALUES_RESULT, 0, clen);
	out[6] = (unsigned char)pad;
	return n + pad;
}

size_t rsp__fcgi_unknown_type(unsigned char out[16], int type)
{
	rsp__fcgi_hdr_write(out, RSP__FCGI_UNKNOWN_TYPE, 0, 8);
	out[8] = (unsigned char)type;
	memset(out + 9, 0, 7);
	return 16;
}
