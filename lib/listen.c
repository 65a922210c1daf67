/*
 * listen.c - where a FastCGI application listens: RSP_FCGI_SOCKET parsed
 * and bound (a Unix socket path, host:port, [v6]:port or :port), a socket
 * handed over by spawn-fcgi (fd 0) or systemd (LISTEN_FDS), and the
 * FCGI_WEB_SERVER_ADDRS list of peers allowed to connect over TCP.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define BACKLOG 1024

static int say(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* 1*5DIGIT, 1..65535: atoi would take "8080x" and wrap "99999". */
static int parse_port(const char *s)
{
	int port = 0;
	if (*s == '\0')
		return -1;
	for (int i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 5)
			return -1;
		port = port * 10 + (s[i] - '0');
	}
	return port >= 1 && port <= 65535 ? port : -1;
}

/* An octal mode such as 0660 or 660. */
static int parse_mode(const char *s)
{
	int mode = 0;
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '7' || mode > 07777)
			return -1;
		mode = mode * 8 + (*s - '0');
	}
	return mode <= 07777 ? mode : -1;
}

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* "user", "user:group", ":group", numeric ids too; -1 keeps a part. */
static int parse_owner(const char *spec, uid_t *uid, gid_t *gid)
{
	char buf[256];
	size_t len = strlen(spec);
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, spec, len + 1);
	char *colon = strchr(buf, ':');
	const char *group = NULL;
	if (colon != NULL) {
		*colon = '\0';
		group = colon + 1;
	}
	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (buf[0] != '\0') {
		struct passwd *pw = getpwnam(buf);
		if (pw != NULL) {
			*uid = pw->pw_uid;
			if (group == NULL)
				*gid = pw->pw_gid;
		} else if (all_digits(buf)) {
			*uid = (uid_t)strtoul(buf, NULL, 10);
		} else {
			return -1;
		}
	}
	if (group != NULL && group[0] != '\0') {
		struct group *gr = getgrnam(group);
		if (gr != NULL)
			*gid = gr->gr_gid;
		else if (all_digits(group))
			*gid = (gid_t)strtoul(group, NULL, 10);
		else
			return -1;
	}
	return 0;
}

/* Mode and owner of a Unix socket, from RSP_FCGI_SOCKET_MODE/_OWNER. */
static int unix_permissions(const char *path, char *err, size_t errlen)
{
	const char *m = getenv("RSP_FCGI_SOCKET_MODE");
	const char *o = getenv("RSP_FCGI_SOCKET_OWNER");
	if (m != NULL && *m != '\0') {
		int mode = parse_mode(m);
		if (mode < 0)
			return say(err, errlen,
			    "RSP_FCGI_SOCKET_MODE=%s: not an octal mode", m);
		if (chmod(path, (mode_t)mode) != 0)
			return say(err, errlen, "chmod %s failed", path);
	}
	if (o != NULL && *o != '\0') {
		uid_t uid;
		gid_t gid;
		if (parse_owner(o, &uid, &gid) != 0)
			return say(err, errlen,
			    "RSP_FCGI_SOCKET_OWNER=%s: no such user or group",
			    o);
		if (chown(path, uid, gid) != 0)
			return say(err, errlen, "chown %s failed", path);
	}
	return 0;
}

static int listen_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat sb;
	size_t plen = strlen(path);
	if (plen >= sizeof(sa.sun_path))
		return say(err, errlen, "%s: path too long for a Unix socket",
		    path);
	memcpy(sa.sun_path, path, plen + 1);
	/* A socket file left by an earlier run is replaced; anything else
	 * at that path is not ours to remove. */
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode))
			return say(err, errlen, "%s exists and is not a socket",
			    path);
		unlink(path);
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return say(err, errlen, "socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, BACKLOG) != 0) {
		int e = errno;
		close(fd);
		snprintf(err, errlen, "cannot listen on %s: %s", path,
		    strerror(e));
		return -1;
	}
	if (unix_permissions(path, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int listen_inet(const char *host, const char *spec, int port, char *err,
    size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE };
	struct addrinfo *ai = NULL;
	char ps[8];
	snprintf(ps, sizeof(ps), "%d", port);
	hints.ai_flags |= AI_NUMERICSERV;
	int g = getaddrinfo(host, ps, &hints, &ai);
	if (g != 0 || ai == NULL) {
		snprintf(err, errlen, "RSP_FCGI_SOCKET=%s: host %s: %s", spec,
		    host, g != 0 ? gai_strerror(g) : "no address");
		return -1;
	}
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, BACKLOG) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		snprintf(err, errlen, "cannot listen on %s: %s", spec,
		    strerror(e));
		return -1;
	}
	freeaddrinfo(ai);
	return fd;
}

int rsp__listen_open(const char *spec, char *err, size_t errlen)
{
	char host[256];
	const char *port_s;

	/* Host names never hold '/': anything with one is a path. */
	if (strchr(spec, '/') != NULL)
		return listen_unix(spec, err, errlen);
	if (spec[0] == '[') {
		const char *close_b = strchr(spec, ']');
		if (close_b == NULL || close_b[1] != ':' ||
		    (size_t)(close_b - spec) > sizeof(host))
			return say(err, errlen,
			    "RSP_FCGI_SOCKET=%s: expected [address]:port",
			    spec);
		memcpy(host, spec + 1, (size_t)(close_b - spec - 1));
		host[close_b - spec - 1] = '\0';
		port_s = close_b + 2;
	} else {
		const char *colon = strrchr(spec, ':');
		if (colon == NULL ||
		    memchr(spec, ':', (size_t)(colon - spec)) != NULL ||
		    (size_t)(colon - spec) >= sizeof(host))
			return say(err, errlen,
			    "RSP_FCGI_SOCKET=%s: expected /path, host:port, "
			    "[v6]:port or :port",
			    spec);
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
		port_s = colon + 1;
		/* ":port" stays on this machine. */
		if (host[0] == '\0')
			strcpy(host, "127.0.0.1");
	}
	int port = parse_port(port_s);
	if (port < 0)
		return say(err, errlen,
		    "RSP_FCGI_SOCKET=%s: the port must be 1 to 65535, "
		    "digits only",
		    spec);
	return listen_inet(host, spec, port, err, errlen);
}

static bool is_listening_socket(int fd)
{
	struct stat sb;
	int v = 0;
	socklen_t len = sizeof(v);
	if (fstat(fd, &sb) != 0 || !S_ISSOCK(sb.st_mode))
		return false;
	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 &&
	    v != 0;
}

int rsp__listen_inherited(const char *fds, const char *pid)
{
	/* systemd socket activation: LISTEN_FDS sockets from fd 3, for us. */
	if (fds != NULL && strcmp(fds, "1") == 0 && pid != NULL &&
	    all_digits(pid) && strtol(pid, NULL, 10) == (long)getpid() &&
	    is_listening_socket(3))
		return 3;
	/* spawn-fcgi and the FastCGI convention: fd 0.  CGI stdin is a pipe, a
	 * file or /dev/null, which one fstat tells apart. */
	return is_listening_socket(0) ? 0 : -1;
}

bool rsp__listen_is_inet(int fd)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return false;
	return ss.ss_family == AF_INET || ss.ss_family == AF_INET6;
}

/* ---- FCGI_WEB_SERVER_ADDRS ------------------------------------------------- */

struct rsp__allow {
	size_t n;
	struct in6_addr a[]; /* IPv4 as v4-mapped */
};

static bool to_v6(const char *s, struct in6_addr *out)
{
	struct in_addr v4;
	if (inet_pton(AF_INET6, s, out) == 1)
		return true;
	if (inet_pton(AF_INET, s, &v4) != 1)
		return false;
	memset(out, 0, sizeof(*out));
	out->s6_addr[10] = out->s6_addr[11] = 0xff;
	memcpy(&out->s6_addr[12], &v4, 4);
	return true;
}

int rsp__allow_parse(const char *list, struct rsp__allow **out, char *err,
    size_t errlen)
{
	size_t max = 1;
	for (const char *p = list; *p != '\0'; p++)
		max += *p == ',' || *p == ' ';
	struct rsp__allow *a = malloc(sizeof(*a) + max * sizeof(a->a[0]));
	if (a == NULL)
		return say(err, errlen, "%s", "out of memory");
	a->n = 0;
	for (const char *p = list; *p != '\0';) {
		size_t len = strcspn(p, ", \t");
		char one[64];
		if (len >= sizeof(one)) {
			free(a);
			return say(err, errlen,
			    "FCGI_WEB_SERVER_ADDRS: an entry is too long: %s",
			    p);
		}
		if (len > 0) {
			memcpy(one, p, len);
			one[len] = '\0';
			if (!to_v6(one, &a->a[a->n])) {
				free(a);
				return say(err, errlen,
				    "FCGI_WEB_SERVER_ADDRS: %s is not an IP address",
				    one);
			}
			a->n++;
		}
		p += len;
		if (*p != '\0')
			p++;
	}
	*out = a;
	return 0;
}

bool rsp__allow_check(const struct rsp__allow *a, const void *sockaddr)
{
	const struct sockaddr *sa = sockaddr;
	struct in6_addr peer;
	if (a == NULL)
		return true;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = sockaddr;
		memset(&peer, 0, sizeof(peer));
		peer.s6_addr[10] = peer.s6_addr[11] = 0xff;
		memcpy(&peer.s6_addr[12], &s4->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		peer = ((const struct sockaddr_in6 *)sockaddr)->sin6_addr;
	} else {
		return true; /* a Unix socket: the file's mode decides */
	}
	for (size_t i = 0; i < a->n; i++)
		if (memcmp(&a->a[i], &peer, sizeof(peer)) == 0)
			return true;
	return false;
}

void rsp__allow_free(struct rsp__allow *a)
{
	free(a);
}
