/*
 * fnv.h — FNV-1a, 64 bits: a fast hash for keys we choose ourselves (memo
 * slots, statement names), never for anything a client could aim at a
 * collision.  Pure.
 */
#ifndef THIDUA_DOMAIN_FNV_H
#define THIDUA_DOMAIN_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_INIT 0xcbf29ce484222325u

/* h (FNV1A64_INIT to start) carried over n more bytes of data. */
uint64_t fnv1a64(uint64_t h, const void *data, size_t n);

#endif
