#!/bin/sh
# An NPH program that sends CGI output instead of a status line.
printf 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok'
