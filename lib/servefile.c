/*
 * servefile.c - a file from beneath a root directory, answered the way
 * browsers and download managers expect: opened without escaping the root,
 * regular files only, validators, a media type, preconditions and ranges.
 *
 * Opening: the path is judged as text first (relative, no ".." segment),
 * then its directories are opened beneath the root with openat2
 * (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS) where the
 * kernel has it, else one O_PATH | O_NOFOLLOW component at a time.  The
 * last component is looked at through an O_PATH descriptor (which opens
 * nothing: no FIFO is woken, no device touched) and only a regular file is
 * then opened for reading, O_NOFOLLOW | O_NONBLOCK, and must be the same
 * inode: what was checked is what is read.  Symbolic links are never
 * followed, not even ones that stay inside the root.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#endif
#endif

#define PATH_MAX_LEN 4095

/* An answer other than the file: 404 or 403 as the JSON error. */
enum { NOT_FOUND = -1000, FORBIDDEN = -1001, BROKEN = -1002 };

static int errno_answer(int e)
{
	switch (e) {
	case EACCES:
	case EPERM:
		return FORBIDDEN;
	case ENOENT:
	case ENOTDIR:
	case ELOOP:
	case EXDEV:
	case ENAMETOOLONG:
	case EAGAIN:
	case ENXIO:
	case EISDIR:
		return NOT_FOUND;
	default:
		return BROKEN;
	}
}

/* Relative, no "..", not ending in '/', not too long. */
static bool path_ok(const char *path, size_t len)
{
	if (len == 0 || len > PATH_MAX_LEN || path[0] == '/' ||
	    path[len - 1] == '/')
		return false;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && path[j] != '/')
			j++;
		if (j - i == 2 && path[i] == '.' && path[i + 1] == '.')
			return false;
		i = j + 1;
	}
	return true;
}

#if defined(SYS_openat2) && defined(RESOLVE_BENEATH)
/* The directories through openat2; -2 with errno ENOSYS when the kernel
 * (or a seccomp filter) does not have it. */
static int open_dirs_openat2(int root, const char *dirs)
{
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
	how.resolve =
	    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	long fd = syscall(SYS_openat2, root, dirs, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == E2BIG))
		return -2;
	return (int)fd;
}
#else
static int open_dirs_openat2(int root, const char *dirs)
{
	(void)root;
	(void)dirs;
	errno = ENOSYS;
	return -2;
}
#endif

/* The directories one component at a time, never following a link. */
static int open_dirs_walk(int root, char *dirs)
{
	int cur = -1;
	char *save = NULL;
	for (char *c = strtok_r(dirs, "/", &save); c != NULL;
	     c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		int next = openat(cur < 0 ? root : cur, c,
		    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		if (cur >= 0)
			close(cur);
		if (next < 0) {
			errno = e;
			return -1;
		}
		cur = next;
	}
	if (cur < 0)
		cur = fcntl(root, F_DUPFD_CLOEXEC, 0);
	return cur;
}

/* What the first look found: the directory holding the file (open
 * O_PATH), the file's name in it and its stat.  Nothing is open for
 * reading yet: a 304 never opens the file. */
struct looked {
	int dir;
	const char *leaf;
	struct stat sb;
	char buf[PATH_MAX_LEN + 1];
};

/* RSP_OK with l->dir open, or NOT_FOUND, FORBIDDEN, BROKEN. */
static int look(int root, const char *path, struct looked *l)
{
	size_t len = strlen(path);
	memset(&l->sb, 0, sizeof(l->sb));
	l->dir = -1;
	if (!path_ok(path, len))
		return NOT_FOUND;
	memcpy(l->buf, path, len + 1);
	char *slash = strrchr(l->buf, '/');
	l->leaf = l->buf;
	if (slash == NULL) {
		l->dir = fcntl(root, F_DUPFD_CLOEXEC, 0);
	} else {
		*slash = '\0';
		l->leaf = slash + 1;
		l->dir = open_dirs_openat2(root, l->buf);
		if (l->dir == -2)
			l->dir = open_dirs_walk(root, l->buf);
	}
	if (l->dir < 0)
		return errno_answer(errno);
	if (strcmp(l->leaf, ".") == 0)
		return NOT_FOUND;
	int fd = openat(l->dir, l->leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno_answer(errno);
	int rc = RSP_OK;
	if (fstat(fd, &l->sb) != 0)
		rc = BROKEN;
	else if (!S_ISREG(l->sb.st_mode))
		rc = NOT_FOUND;
	close(fd);
	/* An unreadable file is a 403 even for a request a 304 would answer:
	 * its validators are not the client's to see. */
	if (rc == RSP_OK && faccessat(l->dir, l->leaf, R_OK, AT_EACCESS) != 0)
		rc = errno_answer(errno);
	return rc;
}

/* The file looked at, now open for reading: the same inode or nothing. */
static int open_looked(const struct looked *l)
{
	struct stat sb;
	int fd = openat(l->dir, l->leaf,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno_answer(errno);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_dev != l->sb.st_dev || sb.st_ino != l->sb.st_ino) {
		close(fd);
		return NOT_FOUND; /* replaced between the two looks */
	}
	/* Regular files never block; later reads should not see EAGAIN. */
	fcntl(fd, F_SETFL, O_RDONLY);
	return fd;
}

/* Lower-case hex of v at p; the end. */
static char *hex(char *p, uint64_t v)
{
	char tmp[16];
	size_t n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* Strong: any write that changes size or mtime, or a new file put in
 * its place (another inode), changes it; nanoseconds included.  Built
 * without printf: a 304 is mostly this. */
static void make_etag(const struct stat *sb, char out[80])
{
	char *p = out;
	*p++ = '"';
	p = hex(p, (uint64_t)sb->st_ino);
	*p++ = '-';
	p = hex(p, (uint64_t)sb->st_size);
	*p++ = '-';
	p = hex(p, (uint64_t)sb->st_mtim.tv_sec);
	*p++ = '.';
	p = hex(p, (uint64_t)sb->st_mtim.tv_nsec);
	*p++ = '"';
	*p = '\0';
}

static const char *leaf_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int describe(rsp_response *res, const char *path, unsigned flags)
{
	int rc = RSP_OK;
	if (!rsp_headers_contains(res->headers, "Content-Type")) {
		char buf[128];
		rc = rsp_headers_set(res->headers, "Content-Type",
		    rsp_mime_type(path, buf, sizeof(buf)));
	}
	if (rc == RSP_OK && (flags & RSP_FILE_ATTACHMENT))
		rc =
		    rsp_content_disposition(res, "attachment", leaf_name(path));
	return rc;
}

static int answer(rsp_response *res, int why)
{
	if (why == FORBIDDEN)
		return rsp_set_error(res, 403, "Forbidden");
	if (why == NOT_FOUND)
		return rsp_set_error(res, 404, "Not Found");
	return rsp_set_error(res, 500, "the file could not be opened");
}

/* Preconditions first (from the first look's stat: a 304 opens nothing),
 * then the file, its media type, and ranges. */
static int serve(rsp_response *res, struct looked *l, const char *path,
    unsigned flags)
{
	char etag[80];
	make_etag(&l->sb, etag);
	int rc =
	    rsp__check_preconditions(res, etag, l->sb.st_mtim.tv_sec, true);
	if (rc != 0)
		return rc == 304 || rc == 412 ? RSP_OK : rc;
	int fd = open_looked(l);
	if (fd < 0)
		return answer(res, fd);
	if ((rc = describe(res, path, flags)) != RSP_OK ||
	    (rc = rsp_set_content_file(res, fd)) != RSP_OK) {
		close(fd);
		return rc;
	}
	if (!(flags & RSP_FILE_NO_RANGES) && (rc = rsp_apply_range(res)) > 0)
		rc = RSP_OK;
	return rc;
}

int rsp_serve_file(rsp_response *res, int root_fd, const char *path,
    unsigned flags)
{
	if (res == NULL || root_fd < 0 || path == NULL)
		return RSP_EINVAL;
	if (rsp__writer_used(res->writer))
		return RSP_ESTATE;
	struct looked l;
	int rc = look(root_fd, path, &l);
	rc = rc == RSP_OK ? serve(res, &l, path, flags) : answer(res, rc);
	if (l.dir >= 0)
		close(l.dir);
	return rc;
}
