#!/bin/sh
# A good response, then exit status 3.
printf 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nbody\n'
exit 3
