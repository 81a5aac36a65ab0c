/* Which security module confines this process, from what the kernel shows.
 *
 * The kernel facts behind the parsing:
 * - /proc/self/attr/apparmor/current (Linux 5.8+) is AppArmor's label
 *   whenever AppArmor is active, stacked or not; reading it gives EINVAL
 *   when AppArmor is built in but not active, ENOENT when not built in,
 *   and EACCES when the label belongs to an AppArmor namespace that is
 *   hidden from ours.
 * - /proc/self/attr/current is the label of the first module that labels
 *   processes (SELinux, AppArmor or Smack), EINVAL when none is active,
 *   ENOENT when the kernel has no security modules at all.  SELinux ends
 *   it with a NUL, AppArmor with a newline.
 * - AppArmor prints "name (mode)", or just "unconfined"; a stack as
 *   "a//&b (mode)" ("mixed" when the modes differ); a profile of a child
 *   namespace as ":ns:name".
 * - SELinux prints user:role:type, then the MLS range if the policy has
 *   one ("s0:c1,c2", "s0-s0:c0.c1023").
 * - /sys/kernel/security/lsm lists the active modules, but a container
 *   seldom has securityfs mounted, so it only settles doubts. */
#include "lsm.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static const struct
{
  const char *word;
  enum apparmor_mode mode;
} apparmor_modes[] = {
  { "enforce", APPARMOR_MODE_ENFORCE },
  { "complain", APPARMOR_MODE_COMPLAIN },
  { "kill", APPARMOR_MODE_KILL },
  { "unconfined", APPARMOR_MODE_UNCONFINED },
  { "user", APPARMOR_MODE_USER },
  { "mixed", APPARMOR_MODE_MIXED },
};

/* SELinux types that the usual policies leave unconfined (container-selinux
 * makes spc_t, "super privileged container", one of them). */
static const char *const selinux_unconfined_types[] = { "unconfined_t", "unconfined_service_t", "spc_t" };

/* Copy src into a field: printable characters only (a label goes into
 * messages), cut with "..." when it does not fit. */
static void
copy_text (char *dst, size_t size, const char *src, size_t len)
{
  size_t n = len < size - 1 ? len : size - 1;

  for (size_t i = 0; i < n; i++)
    dst[i] = (src[i] < 0x20 || src[i] == 0x7f) ? '?' : src[i];
  dst[n] = '\0';
  if (len > n && size > 4)
    memcpy (dst + size - 4, "...", 4);
}

/* The first line of a file's contents, up to its newline or NUL, without
 * trailing blanks; NULL when the file could not be read. */
static char *
first_line (const struct lsm_file *f)
{
  size_t len = 0;
  char *line;

  if (f->data == NULL)
    return NULL;
  while (len < f->len && f->data[len] != '\n' && f->data[len] != '\0')
    len++;
  while (len > 0 && (f->data[len - 1] == ' ' || f->data[len - 1] == '\t' || f->data[len - 1] == '\r'))
    len--;
  line = xmalloc (len + 1);
  memcpy (line, f->data, len);
  line[len] = '\0';
  return line;
}

static bool
has_control_chars (const char *s)
{
  for (; *s; s++)
    if ((unsigned char) *s < 0x20 || *s == 0x7f)
      return true;
  return false;
}

/* Each profile of a stack shown without a mode must be an "unconfined":
 * AppArmor omits the mode only when nothing visible confines. */
static bool
all_unconfined (const char *name, size_t len)
{
  const char *end = name + len;

  for (const char *part = name; part < end;)
    {
      const char *split = memmem (part, end - part, "//&", 3);
      const char *stop = split ? split : end;
      const char *profile = part;

      if (*part == ':')
        {
          const char *close = memchr (part + 1, ':', stop - part - 1);
          if (close == NULL)
            return false;
          profile = close + 1;
        }
      if ((size_t) (stop - profile) != strlen ("unconfined") || strncmp (profile, "unconfined", stop - profile) != 0)
        return false;
      part = split ? split + 3 : end;
    }
  return true;
}

/* " (word)" at the end of label: its mode, and where the name ends. */
static enum apparmor_mode
trailing_mode (const char *label, size_t *name_len)
{
  size_t len = strlen (label);
  const char *open = len > 3 && label[len - 1] == ')' ? strrchr (label, '(') : NULL;

  *name_len = len;
  if (open == NULL || open == label || open[-1] != ' ' || open + 2 > label + len - 1)
    return APPARMOR_MODE_NONE;
  for (const char *p = open + 1; p < label + len - 1; p++)
    if (!(*p >= 'a' && *p <= 'z') && *p != '-')
      return APPARMOR_MODE_NONE;
  *name_len = open - 1 - label;
  for (size_t i = 0; i < N_ELEMENTS (apparmor_modes); i++)
    if (strlen (apparmor_modes[i].word) == (size_t) (label + len - 1 - open - 1)
        && strncmp (open + 1, apparmor_modes[i].word, strlen (apparmor_modes[i].word)) == 0)
      return apparmor_modes[i].mode;
  return APPARMOR_MODE_OTHER;
}

bool
lsm_parse_apparmor (const char *label, struct lsm_confinement *out)
{
  size_t name_len;
  enum apparmor_mode mode = trailing_mode (label, &name_len);
  const char *ns_end = label[0] == ':' ? memchr (label + 1, ':', name_len ? name_len - 1 : 0) : NULL;

  if (name_len == 0 || has_control_chars (label) || isspace ((unsigned char) label[0]))
    return false;
  if (mode == APPARMOR_MODE_NONE && !all_unconfined (label, name_len))
    return false;
  if (label[0] == ':' && (ns_end == NULL || ns_end == label + 1))
    return false;
  out->kind = LSM_APPARMOR;
  out->mode = mode;
  out->stacked = memmem (label, name_len, "//&", 3) != NULL;
  copy_text (out->label, sizeof out->label, label, strlen (label));
  copy_text (out->name, sizeof out->name, label, name_len);
  if (ns_end)
    copy_text (out->ns, sizeof out->ns, label + 1, ns_end - label - 1);
  else
    out->ns[0] = '\0';
  return true;
}

/* SELinux names: user, role and type are identifiers; the MLS range is
 * sensitivities and categories ("s0-s0:c0.c1023"). */
static bool
selinux_field_ok (const char *s, size_t len, bool range)
{
  if (len == 0)
    return false;
  for (size_t i = 0; i < len; i++)
    if (!isalnum ((unsigned char) s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-' && !(range && (s[i] == ',' || s[i] == ':')))
      return false;
  return true;
}

bool
lsm_parse_selinux (const char *context, struct lsm_confinement *out)
{
  const char *role = strchr (context, ':');
  const char *type = role ? strchr (role + 1, ':') : NULL;
  const char *range = type ? strchr (type + 1, ':') : NULL;
  const char *end = context + strlen (context);
  const char *type_end = range ? range : end;

  if (type == NULL || !selinux_field_ok (context, role - context, false)
      || !selinux_field_ok (role + 1, type - role - 1, false)
      || !selinux_field_ok (type + 1, type_end - type - 1, false)
      || (range && !selinux_field_ok (range + 1, end - range - 1, true)))
    return false;
  out->kind = LSM_SELINUX;
  out->mode = APPARMOR_MODE_NONE;
  out->stacked = false;
  out->ns[0] = '\0';
  copy_text (out->label, sizeof out->label, context, end - context);
  copy_text (out->name, sizeof out->name, type + 1, type_end - type - 1);
  return true;
}

bool
lsm_list_has (const char *list, const char *module)
{
  size_t want = strlen (module);

  for (const char *p = list; p && *p;)
    {
      size_t len = strcspn (p, ",\n");

      if (len == want && strncmp (p, module, want) == 0)
        return true;
      p += len;
      p += strspn (p, ",\n");
    }
  return false;
}

/* ENOENT: the kernel lacks the file (the module, or all modules);
 * EINVAL: it has the file but the module is not active. */
static bool
module_absent (const struct lsm_file *f)
{
  return f->data == NULL && (f->err == ENOENT || f->err == EINVAL);
}

static void
set_unknown (struct lsm_confinement *out, const char *label, const char *why)
{
  out->kind = LSM_UNKNOWN;
  copy_text (out->label, sizeof out->label, label, strlen (label));
  out->why = why;
}

/* The legacy file's label: the module list, when there is one, says whose
 * it is; otherwise its shape does: an AppArmor label ends in " (mode)" or
 * is "unconfined", which no SELinux context does. */
static void
parse_first_major (const char *label, const char *active, struct lsm_confinement *out)
{
  if (*label == '\0')
    set_unknown (out, label, "/proc/self/attr/current is empty");
  else if (active == NULL)
    {
      if (!lsm_parse_apparmor (label, out) && !lsm_parse_selinux (label, out))
        set_unknown (out, label, "a label neither SELinux nor AppArmor would print");
    }
  else if (lsm_list_has (active, "selinux") && lsm_parse_selinux (label, out))
    return;
  else if (lsm_list_has (active, "apparmor") && lsm_parse_apparmor (label, out))
    return;
  else if (lsm_list_has (active, "smack"))
    set_unknown (out, label, "a Smack label");
  else
    set_unknown (out, label, "a label the active modules would not print");
}

/* Neither attr file has a label: no module is there, unless the list of
 * active modules or an unreadable file says otherwise. */
static void
parse_no_label (const struct lsm_sources *src, const char *active, struct lsm_confinement *out)
{
  if (!module_absent (&src->current) || !module_absent (&src->apparmor))
    set_unknown (out, "", "its label could not be read from /proc/self/attr");
  else if (active && (lsm_list_has (active, "selinux") || lsm_list_has (active, "apparmor") || lsm_list_has (active, "smack")))
    set_unknown (out, "", "a module that labels processes is active, yet /proc/self/attr shows no label");
  else
    {
      out->kind = LSM_NONE;
      out->why = "no module that labels processes (SELinux, AppArmor, Smack) is active";
    }
}

void
lsm_parse (const struct lsm_sources *src, struct lsm_confinement *out)
{
  _cleanup_free_ char *apparmor = first_line (&src->apparmor);
  _cleanup_free_ char *current = first_line (&src->current);
  _cleanup_free_ char *active = first_line (&src->active_modules);

  memset (out, 0, sizeof *out);
  if (!src->proc_seen)
    {
      set_unknown (out, "", "there is no /proc to read the label from");
      return;
    }
  if (apparmor && *apparmor)
    {
      if (!lsm_parse_apparmor (apparmor, out))
        set_unknown (out, apparmor, "an AppArmor label of a shape nestbox does not know");
    }
  else if (src->apparmor.err == EACCES)
    {
      /* The label lives in an AppArmor namespace hidden from ours. */
      out->kind = LSM_APPARMOR;
      out->mode = APPARMOR_MODE_OTHER;
      out->why = "its AppArmor namespace is hidden from this one";
    }
  else if (current)
    parse_first_major (current, active, out);
  else
    parse_no_label (src, active, out);
}

/* Read root + path into f (data owned by *buf). */
static void
read_source (const char *root, const char *path, struct lsm_file *f, char **buf)
{
  char full[PATH_MAX];
  _cleanup_close_ int fd = -1;
  int r;

  *f = (struct lsm_file){ .data = NULL, .len = 0, .err = ENAMETOOLONG };
  if ((size_t) snprintf (full, sizeof full, "%s%s", root, path) >= sizeof full)
    return;
  fd = RETRY_EINTR (open (full, O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd < 0)
    {
      f->err = errno;
      return;
    }
  r = read_all (fd, 4096, buf, &f->len);
  f->err = r < 0 ? -r : 0;
  f->data = r < 0 ? NULL : *buf;
}

void
lsm_detect (const char *root, struct lsm_confinement *out)
{
  _cleanup_free_ char *apparmor = NULL, *current = NULL, *active = NULL;
  char stat_path[PATH_MAX];
  struct lsm_sources src = { .proc_seen = false };

  /* /proc/self/attr is missing on a kernel without security modules, but
   * then /proc/self/stat is still there; without it there is no procfs. */
  snprintf (stat_path, sizeof stat_path, "%s/proc/self/stat", root);
  src.proc_seen = access (stat_path, F_OK) == 0;
  read_source (root, "/proc/self/attr/apparmor/current", &src.apparmor, &apparmor);
  read_source (root, "/proc/self/attr/current", &src.current, &current);
  read_source (root, "/sys/kernel/security/lsm", &src.active_modules, &active);
  lsm_parse (&src, out);
}

bool
lsm_confines (const struct lsm_confinement *c)
{
  if (c->kind == LSM_APPARMOR)
    return c->mode != APPARMOR_MODE_NONE && c->mode != APPARMOR_MODE_COMPLAIN && c->mode != APPARMOR_MODE_UNCONFINED;
  if (c->kind != LSM_SELINUX)
    return false;
  for (size_t i = 0; i < N_ELEMENTS (selinux_unconfined_types); i++)
    if (strcmp (c->name, selinux_unconfined_types[i]) == 0)
      return false;
  return true;
}

void
lsm_describe (const struct lsm_confinement *c, char *buf, size_t size)
{
  switch (c->kind)
    {
    case LSM_NONE: snprintf (buf, size, "no security module"); break;
    case LSM_SELINUX: snprintf (buf, size, "SELinux type %s", c->name); break;
    case LSM_APPARMOR:
      if (c->label[0] == '\0')
        snprintf (buf, size, "an AppArmor profile (%s)", c->why);
      else if (c->mode == APPARMOR_MODE_NONE)
        snprintf (buf, size, "AppArmor, %s", c->label);
      else
        snprintf (buf, size, "AppArmor %s %s", c->stacked ? "stack" : "profile", c->label);
      break;
    case LSM_UNKNOWN:
      if (c->label[0])
        snprintf (buf, size, "an unknown security module (label \"%s\": %s)", c->label, c->why);
      else
        snprintf (buf, size, "an unknown security module (%s)", c->why);
      break;
    }
}
