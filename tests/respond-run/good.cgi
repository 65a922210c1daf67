#!/bin/sh
# A correct CGI response with CRLF line ends.
printf 'Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nX-Test: yes\r\n\r\nhello\n'
