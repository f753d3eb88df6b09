/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal JSON output for heyctl -j. Written by hand because the output is
 * a handful of flat objects: a JSON library would be a dependency for
 * twenty lines of escaping.
 */
#ifndef HEY_JSON_H
#define HEY_JSON_H

#include <stdio.h>

/* Writes s as a JSON string, quotes included, escaping per RFC 8259. */
void json_print_string(FILE *f, const char *s);

#endif /* HEY_JSON_H */
