/* The option table: for each option, its arguments, what it does to the
 * plan, and its help line.  Adding an option is one row here (and, if no
 * existing handler fits, one handler in cli_options.c). */
#pragma once

#include <stddef.h>

#include "plan.h"

/* What the parser keeps between options. */
struct parser
{
  struct plan *plan;
  const char *invoked_as;
  size_t total_args;
  bool in_args_file;
  /* Modifiers waiting for the operation they apply to. */
  int next_perms;
  uint64_t next_size;
  const char **pending_overlay_sources;
  size_t n_pending_overlay_sources;
  bool consumed_modifiers;
  /* Set by --args: words the parse loop reads before going on. */
  char **args_file_words;
  int n_args_file_words;
  /* Set by --help/--version: the parse loop prints and exits. */
  enum
  {
    PRINT_NOTHING,
    PRINT_HELP,
    PRINT_VERSION
  } print;
};

/* The --help sections, in the order they are printed. */
enum option_topic
{
  TOPIC_GENERAL,
  TOPIC_NAMESPACES,
  TOPIC_IDS,
  TOPIC_FILESYSTEM,
  TOPIC_PROCESS,
  TOPIC_LIMITS,
  TOPIC_SECURITY,
  TOPIC_CALLER,
  N_TOPICS,
};

/* Facts about an option that its handler reads instead of its name. */
enum option_bits
{
  READ_ONLY = 1 << 0,      /* --ro-bind, --ro-bind-fd, --ro-bind-data */
  DEVICES = 1 << 1,        /* --dev-bind */
  MAY_BE_MISSING = 1 << 2, /* the -try binds */
  TAKES_PERMS = 1 << 3,    /* uses a preceding --perms */
  TAKES_SIZE = 1 << 4,     /* uses a preceding --size */
  FOR_GID = 1 << 5,        /* --gid, --gid-map (else the uid one) */
  ADDS = 1 << 6,           /* --cap-add (else --cap-drop) */
  CLEARS = 1 << 7,         /* a flag option that sets its field to false */
  ONCE = 1 << 8,           /* a string option that may not be repeated */
};

/* How an operation's arguments are laid out; the last one is always DEST. */
enum arg_shape
{
  ARGS_DEST,
  ARGS_SOURCE_DEST, /* a host path or a symlink's target, then DEST */
  ARGS_FD_DEST,
  ARGS_MODE_DEST, /* an octal mode, then DEST */
};

/* The named values of a choice option, NULL-terminated by name. */
struct choice
{
  const char *name;
  int value;
};

struct option_def;
typedef void option_handler (struct parser *p, const struct option_def *def, char **args);

struct option_def
{
  const char *name;
  int n_args;
  option_handler *handle;
  enum option_topic topic;
  size_t field;         /* offsetof (struct plan, ...) for the generic handlers */
  int value;            /* what the handler adds: an op_type, env_op_type or overlay_kind */
  enum arg_shape shape; /* for operations */
  unsigned bits;        /* enum option_bits */
  const struct choice *choices;
  const char *arg_names;
  const char *help;
};

/* The table, and the row named name (NULL if none). */
extern const struct option_def cli_options[];
extern const size_t cli_n_options;
const struct option_def *cli_find_option (const char *name);
