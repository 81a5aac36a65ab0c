/* Which Linux security module confines this process, and with what label:
 * AppArmor (a profile and its mode) or SELinux (a context, and its type).
 *
 * Parsing is pure (the files' contents in, a verdict out) so that recorded
 * contents can be tested; lsm_detect() reads the files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum lsm_kind
{
  LSM_UNKNOWN,  /* the files could not be read, or hold a label of another module */
  LSM_NONE,     /* no module that labels processes is active */
  LSM_APPARMOR, /* name: the profile (stack and namespace included), mode */
  LSM_SELINUX,  /* name: the type of the context */
};

/* The mode AppArmor prints after a label: "name (enforce)".  A label in
 * the namespace's own "unconfined" profile carries none. */
enum apparmor_mode
{
  APPARMOR_MODE_NONE,
  APPARMOR_MODE_ENFORCE,
  APPARMOR_MODE_COMPLAIN,
  APPARMOR_MODE_KILL,
  APPARMOR_MODE_UNCONFINED,
  APPARMOR_MODE_USER,  /* AppArmor 4: decisions asked of a user-space agent */
  APPARMOR_MODE_MIXED, /* a stack whose profiles are in different modes */
  APPARMOR_MODE_OTHER, /* a word this version does not know */
};

#define LSM_TEXT_MAX 256

struct lsm_confinement
{
  enum lsm_kind kind;
  enum apparmor_mode mode;
  bool stacked;             /* AppArmor: "a//&b", more than one profile */
  char label[LSM_TEXT_MAX]; /* the label as the kernel shows it, one printable line */
  char name[LSM_TEXT_MAX];  /* AppArmor: the label without its mode; SELinux: the type */
  char ns[LSM_TEXT_MAX];    /* AppArmor: the namespace of ":ns:profile", else "" */
  const char *why;          /* LSM_UNKNOWN and LSM_NONE: what the files said */
};

/* One file's contents (data, len: NULL when it could not be read) or its
 * errno.  ENOENT and EINVAL mean the kernel lacks that module. */
struct lsm_file
{
  const char *data;
  size_t len;
  int err;
};

struct lsm_sources
{
  bool proc_seen;                 /* a procfs was there to read (else nothing is known) */
  struct lsm_file apparmor;       /* /proc/self/attr/apparmor/current (Linux 5.8+) */
  struct lsm_file current;        /* /proc/self/attr/current: the first major module's */
  struct lsm_file active_modules; /* /sys/kernel/security/lsm: "capability,yama,apparmor" */
};

/* The verdict from the files' contents. */
void lsm_parse (const struct lsm_sources *src, struct lsm_confinement *out);

/* An AppArmor label ("profile (enforce)", "a//&b (complain)",
 * ":ns:profile (enforce)", "unconfined"); false if it is not one. */
bool lsm_parse_apparmor (const char *label, struct lsm_confinement *out);
/* An SELinux context ("user:role:type:s0:c1,c2"); false if it is not one. */
bool lsm_parse_selinux (const char *context, struct lsm_confinement *out);

/* Whether the comma-separated module list names module. */
bool lsm_list_has (const char *list, const char *module);

/* Read the files below root ("" for /; the staging root passes the place
 * where the caller's root is) and parse them. */
void lsm_detect (const char *root, struct lsm_confinement *out);

/* Whether the label can refuse anything: AppArmor in enforce, kill, user
 * or mixed mode; SELinux in a type other than the unconfined ones. */
bool lsm_confines (const struct lsm_confinement *c);

/* "AppArmor profile cri-containerd.apparmor.d (enforce)", "SELinux type
 * container_t", "no security module", ... into buf. */
void lsm_describe (const struct lsm_confinement *c, char *buf, size_t size);
