/* /proc/self/mountinfo, parsed (see proc(5)):
 *   id parent major:minor root mount-point options [optional...] - fstype source super-options
 * Paths escape space, tab, newline and backslash as \ooo octal. */
#include "mountinfo.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>

#include "util.h"

static char *
unescape (const char *s, size_t len)
{
  char *out = xmalloc (len + 1), *o = out;

  for (size_t i = 0; i < len; i++)
    {
      if (s[i] == '\\' && i + 3 < len
          && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7'
          && s[i + 3] >= '0' && s[i + 3] <= '7')
        {
          *o++ = (char) ((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
          i += 3;
        }
      else
        *o++ = s[i];
    }
  *o = '\0';
  return out;
}

/* Split one line into fields; returns the count (at most max). */
static size_t
split_fields (char *line, char **fields, size_t max)
{
  size_t n = 0;
  char *save = NULL;

  for (char *f = strtok_r (line, " ", &save); f && n < max; f = strtok_r (NULL, " ", &save))
    fields[n++] = f;
  return n;
}

static void
parse_mount_options (const char *opts, struct mount_entry *e)
{
  _cleanup_free_ char *copy = xstrdup (opts);
  char *save = NULL;

  e->readonly = false;
  e->atime = MOUNT_ATTR_RELATIME;
  for (char *o = strtok_r (copy, ",", &save); o; o = strtok_r (NULL, ",", &save))
    {
      if (strcmp (o, "ro") == 0)
        e->readonly = true;
      else if (strcmp (o, "noatime") == 0)
        e->atime = MOUNT_ATTR_NOATIME;
      else if (strcmp (o, "strictatime") == 0)
        e->atime = MOUNT_ATTR_STRICTATIME;
      else if (strcmp (o, "nodiratime") == 0)
        e->atime |= MOUNT_ATTR_NODIRATIME;
    }
}

static int
parse_line (char *line, struct mount_entry *e)
{
  char *f[64];
  size_t n = split_fields (line, f, N_ELEMENTS (f)), sep;
  uint64_t id, parent;

  /* The optional fields end at a lone "-"; three fields follow it. */
  for (sep = 6; sep < n && strcmp (f[sep], "-") != 0; sep++)
    ;
  if (n < 10 || sep + 3 > n || !parse_uint64 (f[0], 10, &id) || !parse_uint64 (f[1], 10, &parent)
      || id > INT32_MAX || parent > INT32_MAX)
    return -EINVAL;
  e->id = (int) id;
  e->parent_id = (int) parent;
  e->root = unescape (f[3], strlen (f[3]));
  e->mount_point = unescape (f[4], strlen (f[4]));
  e->fstype = unescape (f[sep + 1], strlen (f[sep + 1]));
  parse_mount_options (f[5], e);
  return 0;
}

int
mountinfo_parse (const char *text, struct mount_table *table)
{
  _cleanup_free_ char *copy = xstrdup (text);
  char *save = NULL;

  table->entries = NULL;
  table->n = 0;
  for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      struct mount_entry e = { 0 };

      if (parse_line (line, &e) < 0)
        {
          mountinfo_free (table);
          return -EINVAL;
        }
      table->entries = xreallocarray (table->entries, table->n + 1, sizeof e);
      table->entries[table->n++] = e;
    }
  return 0;
}

int
mountinfo_read (struct mount_table *table)
{
  _cleanup_free_ char *text = NULL;
  int r = read_file_at (AT_FDCWD, "/proc/self/mountinfo", 64 << 20, &text);

  if (r < 0)
    return r;
  return mountinfo_parse (text, table);
}

void
mountinfo_free (struct mount_table *table)
{
  for (size_t i = 0; i < table->n; i++)
    {
      free (table->entries[i].root);
      free (table->entries[i].mount_point);
      free (table->entries[i].fstype);
    }
  free (table->entries);
  table->entries = NULL;
  table->n = 0;
}
