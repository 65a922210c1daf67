/*
 * mimetypes.c - a media type for a file name: a built-in table of the
 * common web types first (fast and the same on every machine), then the
 * system's /etc/mime.types for anything else, then application/octet-stream.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYSTEM_TYPES "/etc/mime.types"
#define DEFAULT_TYPE "application/octet-stream"

/* Extension (lower case), media type.  Text types carry no charset: a
 * file is bytes, and the handler that knows better sets its own. */
/* clang-format off */
#define MIME_TABLE(X) \
	X("html", "text/html") X("htm", "text/html") X("css", "text/css") \
	X("js", "text/javascript") X("mjs", "text/javascript") \
	X("json", "application/json") X("txt", "text/plain") \
	X("csv", "text/csv") X("md", "text/markdown") X("xml", "text/xml") \
	X("svg", "image/svg+xml") X("png", "image/png") X("gif", "image/gif") \
	X("jpg", "image/jpeg") X("jpeg", "image/jpeg") X("webp", "image/webp") \
	X("avif", "image/avif") X("ico", "image/x-icon") X("bmp", "image/bmp") \
	X("woff", "font/woff") X("woff2", "font/woff2") X("ttf", "font/ttf") \
	X("otf", "font/otf") X("pdf", "application/pdf") \
	X("zip", "application/zip") X("gz", "application/gzip") \
	X("tar", "application/x-tar") X("wasm", "application/wasm") \
	X("bin", "application/octet-stream") X("mp3", "audio/mpeg") \
	X("ogg", "audio/ogg") X("wav", "audio/wav") X("mp4", "video/mp4") \
	X("webm", "video/webm") X("m4a", "audio/mp4") X("mov", "video/quicktime") \
	X("vtt", "text/vtt") X("ics", "text/calendar") \
	X("webmanifest", "application/manifest+json")
/* clang-format on */

struct mime {
	const char *ext, *type;
};
static const struct mime builtin[] = {
#define MIME_ROW_(e, t) { e, t },
	MIME_TABLE(MIME_ROW_)
#undef MIME_ROW_
};

/* The extension after the last '.' of the last path segment, or NULL. */
static const char *extension(const char *name)
{
	const char *dot = NULL;
	for (const char *p = name; *p != '\0'; p++) {
		if (*p == '/')
			dot = NULL;
		else if (*p == '.')
			dot = p;
	}
	return dot != NULL && dot[1] != '\0' ? dot + 1 : NULL;
}

/* /etc/mime.types: "type ext ext ..." lines, '#' comments; first wins. */
static const char *system_type(const char *ext, char *buf, size_t size)
{
	FILE *f = fopen(SYSTEM_TYPES, "re");
	char *line = NULL;
	size_t cap = 0;
	const char *found = NULL;
	if (f == NULL)
		return NULL;
	while (found == NULL && getline(&line, &cap, f) >= 0) {
		char *save = NULL;
		char *type = strtok_r(line, " \t\r\n", &save);
		if (type == NULL || type[0] == '#')
			continue;
		for (char *e = strtok_r(NULL, " \t\r\n", &save); e != NULL;
		     e = strtok_r(NULL, " \t\r\n", &save)) {
			if (e[0] == '#')
				break;
			if (rsp__ieq(e, ext)) {
				if (strlen(type) < size &&
				    rsp__is_field_value(type, strlen(type))) {
					memcpy(buf, type, strlen(type) + 1);
					found = buf;
				}
				break;
			}
		}
	}
	free(line);
	fclose(f);
	return found;
}

const char *rsp_mime_type(const char *filename, char *buf, size_t size)
{
	const char *ext = filename ? extension(filename) : NULL;
	if (ext == NULL)
		return DEFAULT_TYPE;
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (rsp__ieq(ext, builtin[i].ext))
			return builtin[i].type;
	const char *t =
	    buf != NULL && size > 0 ? system_type(ext, buf, size) : NULL;
	return t != NULL ? t : DEFAULT_TYPE;
}
