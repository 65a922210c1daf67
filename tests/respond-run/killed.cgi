#!/bin/sh
# Part of a response, then death by SIGKILL.
printf 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\npartial'
kill -KILL $$
