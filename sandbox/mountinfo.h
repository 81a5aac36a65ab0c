/* /proc/self/mountinfo, parsed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct mount_entry
{
  int id, parent_id;
  char *root; /* the path inside its filesystem that is mounted */
  char *mount_point;
  char *fstype;
  bool readonly;  /* per-mount "ro" */
  unsigned atime; /* MOUNT_ATTR_* atime bits of the mount */
};

struct mount_table
{
  struct mount_entry *entries;
  size_t n;
};

/* Parse mountinfo text; 0 or -EINVAL for a malformed line. */
int mountinfo_parse (const char *text, struct mount_table *table);
/* Read and parse /proc/self/mountinfo; 0 or -errno. */
int mountinfo_read (struct mount_table *table);
void mountinfo_free (struct mount_table *table);
