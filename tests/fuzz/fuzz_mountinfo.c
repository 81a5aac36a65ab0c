/* /proc/self/mountinfo: mountinfo_parse() and, on what it accepts, the
 * procfs prediction (procview_predict) that decides whether --proc can get a
 * fresh procfs.  The text comes from the kernel, but a nested sandbox or a
 * pod can show mount points with any bytes in them (escaped or not). */
#include <string.h>

#include "fuzz.h"
#include "sandbox/mountinfo.h"
#include "sandbox/procview.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The parser takes a C string: the text up to the first NUL. */
  char *text = xmalloc (size + 1);
  struct mount_table table;
  struct proc_view view;

  memcpy (text, data, size);
  text[size] = '\0';
  if (mountinfo_parse (text, &table) < 0)
    {
      FUZZ_ASSERT (table.n == 0 && table.entries == NULL);
      free (text);
      return 0;
    }
  for (size_t i = 0; i < table.n; i++)
    {
      const struct mount_entry *e = &table.entries[i];

      FUZZ_ASSERT (e->root && e->mount_point && e->fstype);
      FUZZ_ASSERT (e->id >= 0 && e->parent_id >= 0);
      /* Unescaping only ever shortens. */
      FUZZ_ASSERT (strlen (e->mount_point) < size + 1);
    }
  procview_predict (&table, &view);
  if (view.fresh_allowed)
    FUZZ_ASSERT (view.any_proc && view.proc_mount != NULL);
  if (!view.any_proc)
    FUZZ_ASSERT (!view.fresh_allowed && view.proc_mount == NULL && view.n_blockers == 0);
  for (size_t i = 0; i < view.n_blockers && i < PROCVIEW_MAX_BLOCKERS; i++)
    FUZZ_ASSERT (view.blockers[i] != NULL);
  /* At most one blocker per (procfs, child) pair. */
  FUZZ_ASSERT (view.n_blockers <= table.n * table.n);
  procview_free (&view);
  mountinfo_free (&table);
  FUZZ_ASSERT (table.n == 0 && table.entries == NULL);
  free (text);
  return 0;
}
