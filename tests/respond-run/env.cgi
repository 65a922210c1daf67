#!/bin/sh
# Prints its environment (minus what the shell adds), then its input.
printf 'Content-Type: text/plain\n\n'
env | grep -v -e '^PWD=' -e '^OLDPWD=' -e '^SHLVL=' -e '^_=' | sort
echo --
cat
