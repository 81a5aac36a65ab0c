/* Errors, messages, cleanup helpers and small safe wrappers shared by every module. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define N_ELEMENTS(a) (sizeof (a) / sizeof ((a)[0]))

/* Retry a syscall expression while it fails with EINTR. */
#define RETRY_EINTR(expr)                          \
  ({                                               \
    __typeof__ (expr) retry_result_;               \
    do                                             \
      retry_result_ = (expr);                      \
    while (retry_result_ == -1 && errno == EINTR); \
    retry_result_;                                 \
  })

static inline void
cleanup_free_fn (void *p)
{
  free (*(void **) p);
}

static inline void
cleanup_close_fn (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

#define _cleanup_free_ __attribute__ ((cleanup (cleanup_free_fn)))
#define _cleanup_close_ __attribute__ ((cleanup (cleanup_close_fn)))

static inline int
take_fd (int *fd)
{
  int r = *fd;
  *fd = -1;
  return r;
}

static inline void *
take_ptr (void *pp)
{
  void **p = pp;
  void *r = *p;
  *p = NULL;
  return r;
}

/* The name we were invoked as (basename of argv[0]): a "bwrap" symlink
 * prints "bwrap: ..." as bubblewrap does. */
extern const char *program_name;
/* --level-prefix: prefix each diagnostic with its syslog level. */
extern bool log_level_prefix;

void set_program_name (const char *argv0);

/* Print "<program>: <message>" on stderr.  warn_msg is a warning (level 4). */
void warn_msg (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
/* Print an error line (level 3) without exiting. */
void error_msg (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
/* A second line that tells the user what to do about the error just printed. */
void remedy_msg (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Print an error line and exit 1. */
_Noreturn void die (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
/* Print "<what>: <strerror(err)>" and exit 1; err is a positive errno. */
_Noreturn void die_errno (int err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
_Noreturn void die_oom (void);

/* The exit code for a wait status: the code, or 128+signal. */
int exit_code_from_status (int status);

#ifdef NESTBOX_FUZZING
#include <setjmp.h>
/* Fuzzing builds only (-DNESTBOX_FUZZING, tests/fuzz): when set, die(),
 * die_errno() and die_oom() longjmp here instead of calling _exit(1). */
extern jmp_buf *nestbox_fuzz_die_jmp;
#endif

void *xmalloc (size_t size);
void *xcalloc (size_t n, size_t size);
void *xreallocarray (void *p, size_t n, size_t size);
char *xstrdup (const char *s);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Write all of buf; returns 0 or -errno. */
int write_all (int fd, const void *buf, size_t len);
/* Read a whole fd into a NUL-terminated heap buffer; returns 0 or -errno.
 * Fails with -EFBIG past max_len bytes. */
int read_all (int fd, size_t max_len, char **out, size_t *out_len);
/* Read a small file (a /proc or /sys value); returns 0 or -errno. */
int read_file_at (int dirfd, const char *path, size_t max_len, char **out);
/* Write a short string to a file (id maps, sysctls); returns 0 or -errno. */
int write_file_at (int dirfd, const char *path, const char *content);

/* Strict number parsing: the whole string, no sign games, no overflow. */
bool parse_fd (const char *s, int *fd);
bool parse_uint64 (const char *s, int base, uint64_t *out);
bool parse_id (const char *s, uint32_t *out);
