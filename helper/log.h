/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heyd's log: one line per event on standard error (the journal under
 * systemd), each starting with "heyd: ".
 */
#ifndef HEYD_LOG_H
#define HEYD_LOG_H

extern int heyd_verbose;

void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with -v. */
void logdbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* HEYD_LOG_H */
