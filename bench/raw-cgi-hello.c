/*
 * raw-cgi-hello.c - benchmark baseline: the CGI hello without respond, one
 * printf of the same bytes respond's hello example writes.
 */
#include <stdio.h>

int main(void)
{
	printf("Status: 200 OK\r\n"
	       "Content-Type: text/plain\r\n"
	       "Content-Length: 20\r\n"
	       "\r\n"
	       "Some example content");
	return 0;
}
