/* fuzz.h - what every fuzz target declares: libFuzzer's entry point, and
 * FAIL, which reports a finding prefixed with the target's name (FUZZ_NAME,
 * defined before this header) and aborts so that libFuzzer keeps the input. */
#ifndef RESPOND_FUZZ_H
#define RESPOND_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                            \
	do {                                                 \
		fprintf(stderr, FUZZ_NAME ": " __VA_ARGS__); \
		fputc('\n', stderr);                         \
		abort();                                     \
	} while (0)

#endif /* RESPOND_FUZZ_H */
