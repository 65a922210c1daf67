#!/bin/sh
# An HTTP status line from a CGI (non-NPH) program.
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhi'
