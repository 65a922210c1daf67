#!/bin/sh
# Starts a response, then never finishes (for --timeout).  With DETACH=yes
# it exits at once but leaves a child that holds the output open.
printf 'Status: 200 OK\r\n'
sleep 10 &
echo $! > sleep.pid
[ "$DETACH" = yes ] || wait
