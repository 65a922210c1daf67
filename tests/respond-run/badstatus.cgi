#!/bin/sh
# A malformed Status field.
printf 'Status: OK\r\nContent-Type: text/plain\r\n\r\nbody'
