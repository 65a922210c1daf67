/* request.c - the request respond-run makes: the URL taken apart, the CGI
 * meta-variables (RFC 3875 §4.1) and header fields as the environment, and
 * the body (-d or a multipart -F form) for the program's standard input. */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "respond-run.h"
#include "internal.h"

struct url {
	int https;
	char *host; /* as written, brackets kept for IPv6 */
	unsigned port;
	int port_default;
	char *path;  /* raw, starts with '/' */
	char *query; /* raw, NULL when there is no '?' */
};

/* The scheme (http or https, default http) of URL s; returns what follows
 * "://", or s when there is no scheme. */
static const char *url_scheme(const char *s, const char *in, struct url *u)
{
	const char *sep = strstr(s, "://");
	const char *scheme_end = sep;
	for (const char *p = s; sep && p < sep; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		        (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' ||
		        *p == '.'))
			sep = NULL; /* "://" later in the URL */
	u->https = 0;
	if (!sep)
		return s;
	size_t n = (size_t)(scheme_end - s);
	if (ieq(s, n, "https"))
		u->https = 1;
	else if (!ieq(s, n, "http"))
		usage_error("URL '%s': only http and https are supported", in);
	return sep + 3;
}

/* The host of the authority [auth, auth + alen) into u->host, checked;
 * returns its end (the port's ':' or the authority's end). */
static const char *url_host(const char *auth, size_t alen, const char *in,
    struct url *u)
{
	const char *host_end;
	if (auth[0] == '[') {
		const char *rb = memchr(auth, ']', alen);
		if (!rb) {
			usage_error("URL '%s': unterminated '[' in the host",
			    in);
			return auth; /* (for analysers that see no _Noreturn) */
		}
		host_end = rb + 1;
	} else {
		host_end = memchr(auth, ':', alen);
		if (!host_end)
			host_end = auth + alen;
	}
	if (host_end == auth)
		usage_error("URL '%s' has no host", in);
	for (const char *p = auth; p < host_end; p++)
		if (auth[0] != '[' &&
		    !(is_tchar((unsigned char)*p) || *p == '(' || *p == ')' ||
		        *p == ',' || *p == ';' || *p == '='))
			usage_error("URL '%s': bad character '%c' in the host",
			    in, *p);
	u->host = xstrndup(auth, (size_t)(host_end - auth));
	return host_end;
}

/* The port in [host_end, auth_end) (":" digits, may be empty), or the
 * scheme's default. */
static void url_port(const char *host_end, const char *auth_end, const char *in,
    struct url *u)
{
	u->port = u->https ? 443 : 80;
	u->port_default = 1;
	if (host_end == auth_end)
		return;
	if (*host_end != ':')
		usage_error("URL '%s': bad character after the host", in);
	const char *p = host_end + 1;
	if (p == auth_end)
		return;
	unsigned long port = 0;
	for (; p < auth_end; p++) {
		if (*p < '0' || *p > '9' || port > 65535)
			usage_error("URL '%s': bad port", in);
		port = port * 10 + (unsigned long)(*p - '0');
	}
	if (port == 0 || port > 65535)
		usage_error("URL '%s': bad port", in);
	u->port = (unsigned)port;
	u->port_default = u->port == (u->https ? 443u : 80u);
}

/* The path (default "/") and the query after the authority, raw; the
 * fragment is dropped. */
static void url_path_query(const char *p, struct url *u)
{
	size_t plen = strcspn(p, "?#");
	u->path = plen ? xstrndup(p, plen) : xstrdup("/");
	p += plen;
	if (*p == '?') {
		p++;
		u->query = xstrndup(p, strcspn(p, "#"));
	} else {
		u->query = NULL;
	}
}

static void parse_url(const char *in, struct url *u)
{
	char *owned = NULL;
	const char *s = in;
	if (s[0] == '/')
		s = owned = xasprintf("http://localhost%s", in);
	const char *rest = url_scheme(s, in, u);
	for (const unsigned char *p = (const unsigned char *)rest; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			usage_error(
			    "URL '%s' contains a space or control character",
			    in);
	size_t alen = strcspn(rest, "/?#");
	if (memchr(rest, '@', alen))
		usage_error("URL '%s': user information is not supported (use "
		            "-H 'Authorization: ...')",
		    in);
	const char *host_end = url_host(rest, alen, in, u);
	url_port(host_end, rest + alen, in, u);
	url_path_query(rest + alen, u);
	free(owned);
}

/* Percent-decode a path; a '%' not followed by two hex digits stays. */
static char *pct_decode(const char *s)
{
	size_t n = strlen(s);
	char *out = xrealloc(NULL, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n &&
		    (h = rsp__hexval((unsigned char)s[i + 1])) >= 0 &&
		    (l = rsp__hexval((unsigned char)s[i + 2])) >= 0) {
			if (h == 0 && l == 0)
				usage_error("the URL path contains %%00");
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static void env_set(struct env *e, const char *name, const char *value)
{
	size_t nl = strlen(name);
	char *kv = xasprintf("%s=%s", name, value);
	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->v[i], name, nl) == 0 && e->v[i][nl] == '=') {
			free(e->v[i]);
			e->v[i] = kv;
			return;
		}
	e->v = xrealloc(e->v, (e->n + 2) * sizeof *e->v);
	e->v[e->n++] = kv;
	e->v[e->n] = NULL;
}

static void env_unset(struct env *e, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->v[i], name, nl) == 0 && e->v[i][nl] == '=') {
			free(e->v[i]);
			memmove(e->v + i, e->v + i + 1,
			    (e->n - i) * sizeof *e->v);
			e->n--;
			return;
		}
}

/* Request header fields, keyed by their meta-variable name. */
struct field {
	char *var;
	struct buf value;
	int is_default; /* replaced, not joined, by a user field */
};

struct fields {
	struct field *f;
	size_t n;
};

static char *meta_name(const char *name)
{
	if (strcasecmp(name, "Content-Type") == 0)
		return xstrdup("CONTENT_TYPE");
	if (strcasecmp(name, "Content-Length") == 0)
		return xstrdup("CONTENT_LENGTH");
	char *v = xasprintf("HTTP_%s", name);
	for (char *p = v + 5; *p; p++)
		*p = *p == '-' ? '_'
		               : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	return v;
}

static struct field *fields_find(struct fields *fs, const char *var)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].var, var) == 0)
			return &fs->f[i];
	return NULL;
}

static void fields_add(struct fields *fs, const char *name, const char *value,
    int is_default)
{
	char *var = meta_name(name);
	struct field *f = fields_find(fs, var);
	if (f && f->is_default) {
		f->value.len = 0;
		f->is_default = 0;
		buf_adds(&f->value, value);
		free(var);
		return;
	}
	if (f) {
		buf_adds(&f->value,
		    strcmp(var, "HTTP_COOKIE") == 0 ? "; " : ", ");
		buf_adds(&f->value, value);
		free(var);
		return;
	}
	fs->f = xrealloc(fs->f, (fs->n + 1) * sizeof *fs->f);
	f = &fs->f[fs->n++];
	f->var = var;
	memset(&f->value, 0, sizeof f->value);
	buf_adds(&f->value, value);
	f->is_default = is_default;
}

static void fields_remove(struct fields *fs, const char *name)
{
	char *var = meta_name(name);
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].var, var) == 0) {
			free(fs->f[i].var);
			buf_free(&fs->f[i].value);
			memmove(fs->f + i, fs->f + i + 1,
			    (fs->n - i - 1) * sizeof *fs->f);
			fs->n--;
			break;
		}
	free(var);
}

static int valid_boundary(const char *b)
{
	size_t n = strlen(b);
	if (n < 1 || n > 70 || b[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = b[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || strchr("'()+_,-./:=? ", c)))
			return 0;
	}
	return 1;
}

static void random_boundary(char *out, size_t size)
{
	unsigned char rnd[12];
	size_t got = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r = read(fd, rnd, sizeof rnd);
		got = r > 0 ? (size_t)r : 0;
		close(fd);
	}
	if (got < sizeof rnd) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec ^
		    ((unsigned long long)ts.tv_sec << 20) ^
		    ((unsigned long long)getpid() << 40);
		for (size_t i = 0; i < sizeof rnd; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			rnd[i] = (unsigned char)(x >> 56);
		}
	}
	int n = snprintf(out, size, "----respond-run-");
	for (size_t i = 0; i < sizeof rnd && (size_t)n + 3 <= size; i++)
		n += snprintf(out + n, size - (size_t)n, "%02x", rnd[i]);
}

/* A name or filename parameter: '"' -> %22, CR -> %0D, LF -> %0A. */
static void add_quoted_param(struct buf *b, const char *s)
{
	buf_add(b, "\"", 1);
	for (; *s; s++) {
		if (*s == '"')
			buf_adds(b, "%22");
		else if (*s == '\r')
			buf_adds(b, "%0D");
		else if (*s == '\n')
			buf_adds(b, "%0A");
		else
			buf_add(b, s, 1);
	}
	buf_add(b, "\"", 1);
}

static int boundary_collides(const struct opts *o, const char *bnd)
{
	size_t bl = strlen(bnd);
	for (size_t i = 0; i < o->nparts; i++) {
		const struct form_part *p = &o->parts[i];
		if (memmem(p->data.p ? p->data.p : "", p->data.len, bnd, bl) ||
		    strstr(p->name, bnd) ||
		    (p->filename && strstr(p->filename, bnd)))
			return 1;
	}
	return 0;
}

static void build_multipart(const struct opts *o, struct buf *body,
    char **content_type)
{
	char bnd[80];
	const char *fixed = getenv("RESPOND_RUN_BOUNDARY");
	if (fixed) {
		if (!valid_boundary(fixed))
			usage_error(
			    "RESPOND_RUN_BOUNDARY is not a valid boundary "
			    "(RFC 2046 §5.1.1)");
		snprintf(bnd, sizeof bnd, "%s", fixed);
	} else {
		int tries = 0;
		do
			random_boundary(bnd, sizeof bnd);
		while (boundary_collides(o, bnd) && ++tries < 16);
	}
	for (size_t i = 0; i < o->nparts; i++) {
		const struct form_part *p = &o->parts[i];
		buf_adds(body, "--");
		buf_adds(body, bnd);
		buf_adds(body, "\r\nContent-Disposition: form-data; name=");
		add_quoted_param(body, p->name);
		if (p->filename) {
			buf_adds(body, "; filename=");
			add_quoted_param(body, p->filename);
		}
		buf_adds(body, "\r\n");
		if (p->type) {
			buf_adds(body, "Content-Type: ");
			buf_adds(body, p->type);
			buf_adds(body, "\r\n");
		}
		buf_adds(body, "\r\n");
		buf_add(body, p->data.p, p->data.len);
		buf_adds(body, "\r\n");
	}
	buf_adds(body, "--");
	buf_adds(body, bnd);
	buf_adds(body, "--\r\n");
	*content_type = xasprintf("multipart/form-data; boundary=%s", bnd);
}

static void request_body(const struct opts *o, struct request *rq, char **ctype)
{
	if (o->nparts) {
		build_multipart(o, &rq->body, ctype);
		rq->has_body = 1;
	} else if (o->have_data) {
		buf_add(&rq->body, o->data.p, o->data.len);
		*ctype = xstrdup("application/x-www-form-urlencoded");
		rq->has_body = 1;
	}
	rq->method = o->method ? o->method : rq->has_body ? "POST" : "GET";
	rq->head = strcmp(rq->method, "HEAD") == 0;
}

/* SCRIPT_FILENAME: the directory resolved, the file name kept, so that a
 * symlink called nph-something stays nph-something. */
static void resolve_program(const char *prog, struct request *rq)
{
	size_t plen = strlen(prog);
	if (plen == 0 || prog[plen - 1] == '/')
		usage_error("PROGRAM '%s' is not a file name", prog);
	const char *base = base_name(prog);
	char *dir =
	    base == prog ? xstrdup(".") : xstrndup(prog, (size_t)(base - prog));
	char *rdir = realpath(dir, NULL);
	if (!rdir) {
		error_msg("cannot run %s: %s", prog, strerror(errno));
		exit(EXIT_FAILED);
	}
	rq->dir = rdir;
	rq->filename =
	    xasprintf("%s%s%s", rdir, strcmp(rdir, "/") == 0 ? "" : "/", base);
	free(dir);
}

/* SCRIPT_NAME and PATH_INFO from the decoded path: PROGRAM is mounted at
 * /BASE when the path is /BASE or under it, else at the root. */
static void split_path(const char *path, const char *base, char **script_name,
    char **path_info)
{
	char *dpath = pct_decode(path);
	size_t bl = strlen(base);
	if (dpath[0] == '/' && strncmp(dpath + 1, base, bl) == 0 &&
	    (dpath[1 + bl] == '\0' || dpath[1 + bl] == '/')) {
		*script_name = xstrndup(dpath, bl + 1);
		*path_info = xstrdup(dpath + 1 + bl);
	} else {
		*script_name = xstrdup("");
		*path_info = xstrdup(dpath);
	}
	free(dpath);
}

static void cgi_vars(struct env *e, const struct opts *o,
    const struct request *rq, const struct url *u, const char *script_name,
    const char *path_info)
{
	char portbuf[16];
	snprintf(portbuf, sizeof portbuf, "%u", u->port);
	env_set(e, "GATEWAY_INTERFACE", "CGI/1.1");
	env_set(e, "SERVER_SOFTWARE", "respond-run/" RESPOND_RUN_VERSION);
	env_set(e, "SERVER_PROTOCOL", o->http2 ? "HTTP/2.0" : "HTTP/1.1");
	env_set(e, "SERVER_NAME", u->host);
	env_set(e, "SERVER_PORT", portbuf);
	env_set(e, "REQUEST_METHOD", rq->method);
	env_set(e, "REQUEST_SCHEME", u->https ? "https" : "http");
	if (u->https)
		env_set(e, "HTTPS", "on");
	char *uri = xasprintf("%s%s%s", u->path, u->query ? "?" : "",
	    u->query ? u->query : "");
	env_set(e, "REQUEST_URI", uri);
	free(uri);
	env_set(e, "SCRIPT_NAME", script_name);
	env_set(e, "SCRIPT_FILENAME", rq->filename);
	if (path_info[0])
		env_set(e, "PATH_INFO", path_info);
	env_set(e, "QUERY_STRING", u->query ? u->query : "");
	env_set(e, "REMOTE_ADDR", "127.0.0.1");
	env_set(e, "REMOTE_PORT", REMOTE_PORT);
}

/* Header fields: defaults first, then the -H/-b operations in order. */
static void header_vars(struct env *e, const struct opts *o,
    const struct request *rq, const struct url *u, const char *ctype)
{
	struct fields fs = { 0 };
	char *hostval = u->port_default ? xstrdup(u->host)
	                                : xasprintf("%s:%u", u->host, u->port);
	if (ctype)
		fields_add(&fs, "Content-Type", ctype, 1);
	if (rq->has_body) {
		char lenbuf[32];
		snprintf(lenbuf, sizeof lenbuf, "%zu", rq->body.len);
		fields_add(&fs, "Content-Length", lenbuf, 1);
	}
	fields_add(&fs, "Host", hostval, 1);
	for (size_t i = 0; i < o->nhops; i++) {
		const struct hdr_op *h = &o->hops[i];
		if (h->op == HOP_REMOVE)
			fields_remove(&fs, h->name);
		else
			fields_add(&fs, h->name, h->value, 0);
	}
	for (size_t i = 0; i < fs.n; i++) {
		buf_add(&fs.f[i].value, "", 1);
		env_set(e, fs.f[i].var, fs.f[i].value.p);
		free(fs.f[i].var);
		buf_free(&fs.f[i].value);
	}
	free(fs.f);
	free(hostval);
}

/* PATH, then the -e variables, which may replace or remove any. */
static void extra_vars(struct env *e, const struct opts *o)
{
	const char *path = getenv("PATH");
	env_set(e, "PATH", path ? path : DEFAULT_PATH);
	for (size_t i = 0; i < o->nenvs; i++) {
		char *eq = strchr(o->envs[i], '=');
		if (eq) {
			*eq = '\0';
			env_set(e, o->envs[i], eq + 1);
			*eq = '=';
		} else {
			env_unset(e, o->envs[i]);
		}
	}
}

void build_request(struct opts *o, struct request *rq)
{
	struct url u = { 0 };
	char *ctype = NULL, *script_name, *path_info;

	parse_url(o->url ? o->url : "http://localhost/", &u);
	request_body(o, rq, &ctype);
	resolve_program(o->program, rq);
	split_path(u.path, base_name(o->program), &script_name, &path_info);
	rq->env.v = xrealloc(NULL, sizeof *rq->env.v);
	rq->env.v[0] = NULL;
	rq->env.n = 0;
	cgi_vars(&rq->env, o, rq, &u, script_name, path_info);
	header_vars(&rq->env, o, rq, &u, ctype);
	extra_vars(&rq->env, o);
	free(u.host);
	free(u.path);
	free(u.query);
	free(script_name);
	free(path_info);
	free(ctype);
}
