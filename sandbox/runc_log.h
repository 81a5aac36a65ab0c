/* nestbox-runc's messages: each error is one line on stderr, as everywhere
 * in nestbox, and the same message in the --log file in runc's text or
 * JSON form.  Callers read that file: conmon and podman take the "msg" of
 * the last "error" entry of a JSON log as the reason a container failed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum runc_log_format
{
  RUNC_LOG_TEXT,
  RUNC_LOG_JSON,
};

/* --log, --log-format and --debug.  path NULL: stderr only. */
void runc_log_setup (const char *path, enum runc_log_format format, bool debug);

/* A message for the log alone, at level ("error", "warning", "debug"). */
void runc_log_entry (const char *level, const char *msg);

/* One line on stderr ("nestbox-runc: ...") and an "error" entry in the
 * log; then exit 1. */
_Noreturn void runc_fail (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
/* The same, for a warning; the caller goes on. */
void runc_warn (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
/* With --debug only: the line on stderr and a "debug" entry in the log. */
void runc_debug (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* RFC 3339 in UTC with nanoseconds, as runc writes times
 * ("2026-12-04T10:00:00.123456789Z"). */
void runc_rfc3339 (const struct timespec *ts, char *buf, size_t size);
