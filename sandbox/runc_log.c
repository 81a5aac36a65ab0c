/* nestbox-runc's messages: stderr and the --log file (runc_log.h). */
#include "runc_log.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static int log_fd = -1;
static enum runc_log_format log_format = RUNC_LOG_TEXT;
static bool log_debug;

void
runc_log_setup (const char *path, enum runc_log_format format, bool debug)
{
  log_format = format;
  log_debug = debug;
  if (path == NULL)
    return;
  /* O_APPEND: conmon and podman open the same file for every call. */
  log_fd = RETRY_EINTR (open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644));
  if (log_fd < 0)
    die_errno (errno, "--log %s", path);
}

void
runc_rfc3339 (const struct timespec *ts, char *buf, size_t size)
{
  struct tm tm;
  char date[32];

  gmtime_r (&ts->tv_sec, &tm);
  strftime (date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf (buf, size, "%s.%09ldZ", date, (long) ts->tv_nsec);
}

/* runc's text form: time="..." level=error msg="..." (logrus), with the
 * message quoted as JSON quotes it. */
static char *
format_entry (const char *level, const char *msg, const char *time)
{
  json_object *entry = json_object_new_object ();
  char *line;

  if (log_format == RUNC_LOG_JSON)
    {
      json_object_object_add (entry, "level", json_object_new_string (level));
      json_object_object_add (entry, "msg", json_object_new_string (msg));
      json_object_object_add (entry, "time", json_object_new_string (time));
      line = xasprintf ("%s\n", json_object_to_json_string_ext (entry, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    }
  else
    {
      json_object *quoted = json_object_new_string (msg);

      line = xasprintf ("time=\"%s\" level=%s msg=%s\n", time, level,
                        json_object_to_json_string_ext (quoted, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
      json_object_put (quoted);
    }
  json_object_put (entry);
  return line;
}

void
runc_log_entry (const char *level, const char *msg)
{
  struct timespec now;
  char time[64];
  _cleanup_free_ char *line = NULL;

  if (log_fd < 0)
    return;
  clock_gettime (CLOCK_REALTIME, &now);
  runc_rfc3339 (&now, time, sizeof time);
  line = format_entry (level, msg, time);
  /* One write: several nestbox-runc calls may append at once. */
  (void) write_all (log_fd, line, strlen (line));
}

void
runc_fail (const char *fmt, ...)
{
  char msg[2048];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  error_msg ("%s", msg);
  runc_log_entry ("error", msg);
  fflush (NULL);
  _exit (1);
}

void
runc_warn (const char *fmt, ...)
{
  char msg[2048];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  warn_msg ("%s", msg);
  runc_log_entry ("warning", msg);
}

void
runc_debug (const char *fmt, ...)
{
  char msg[2048];
  va_list ap;

  if (!log_debug)
    return;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  /* Not warn_msg: a debug line is no warning (level 7 with --level-prefix). */
  fprintf (stderr, "%s: debug: %s\n", program_name, msg);
  runc_log_entry ("debug", msg);
}
