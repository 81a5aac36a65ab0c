/* A bundle's config.json (OCI runtime-spec 1.x) read into a plan: the
 * runc front end's (runc_*.c) only way into the core.  What the plan has
 * no field for (hooks, annotations, the terminal flag, resources not yet
 * mapped) is kept beside it in struct oci_config for the front end. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "plan.h"

struct oci_hook
{
  char *path;
  char **args; /* NULL-terminated, args[0] included as the spec has it */
  char **env;  /* NULL-terminated */
  int timeout; /* seconds, 0: none */
};

enum oci_hook_kind
{
  OCI_HOOK_PRESTART,
  OCI_HOOK_CREATE_RUNTIME,
  OCI_HOOK_CREATE_CONTAINER,
  OCI_HOOK_START_CONTAINER,
  OCI_HOOK_POSTSTART,
  OCI_HOOK_POSTSTOP,
  N_OCI_HOOK_KINDS
};

struct oci_config
{
  struct plan plan;   /* the sandbox, as the launcher's command line would give it */
  char *bundle;       /* absolute path of the bundle directory */
  char *root_path;    /* absolute path of root.path */
  bool root_readonly; /* root.readonly */
  bool terminal;      /* process.terminal */
  char **annotations; /* key, value, key, value ..., NULL */
  struct oci_hook *hooks[N_OCI_HOOK_KINDS];
  size_t n_hooks[N_OCI_HOOK_KINDS];

  /* What the core cannot apply yet: kept here for the front end, which
   * must apply it or refuse the container. */
  gid_t *additional_gids; /* process.user.additionalGids */
  size_t n_additional_gids;
  int umask;              /* process.user.umask; -1: not given */
  bool oom_score_adj_set; /* process.oomScoreAdj */
  int oom_score_adj;
  const char *domainname; /* domainname (needs the uts namespace) */
  char **sysctl;          /* linux.sysctl: key, value, key, value ..., NULL */
  /* linux.seccomp, as JSON text in a sealed memfd; plan.seccomp_profile
   * names it as /proc/self/fd/N for the launcher's profile compiler.
   * -1: no profile. */
  int seccomp_fd;
};

/* Read BUNDLE/config.json into cfg.  0 on success; -1 with one line in
 * err (naming the field at fault, such as "linux.namespaces[2].type: unknown
 * namespace \"foo\"") on bad or unsupported input.  Nothing is created;
 * fds are opened (the namespaces joined by path, the seccomp profile's
 * memfd), which oci_config_free closes.  Fields nestbox does not apply are
 * warned about on stderr, one line each. */
int oci_config_load (const char *bundle, struct oci_config *cfg, char *err, size_t size);

void oci_config_free (struct oci_config *cfg);

/* The spec's name of a kind of hook: "prestart", "createRuntime" ... */
const char *oci_hook_name (enum oci_hook_kind kind);
