/* nestbox-runc's --version, features and spec (runc_features.h). */
#include "runc_features.h"

#include <ctype.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "caps.h"
#include "oci_spec.h"
#include "runc_log.h"
#include "seccomp_arches.h"
#include "util.h"

/* The runtime-spec versions config.json may declare. */
#define OCI_VERSION_MIN "1.0.0"
#define OCI_VERSION_MAX "1.2.0"

int
runc_version (void)
{
  /* The version is nestbox's: callers that compare runc versions would
   * otherwise think it an old runc. */
  printf ("runc version %s\ncommit: nestbox %s\nspec: 1.0.2\n", NESTBOX_VERSION, NESTBOX_VERSION);
  return 0;
}

static json_object *
string_array (const char *const *names, size_t n)
{
  json_object *array = json_object_new_array ();

  for (size_t i = 0; i < n; i++)
    json_object_array_add (array, json_object_new_string (names[i]));
  return array;
}

static json_object *
capability_names (void)
{
  json_object *array = json_object_new_array ();

  for (int cap = 0; cap <= caps_last_cap (); cap++)
    {
      char *name = cap_to_name ((cap_value_t) cap);
      char upper[64];
      size_t i;

      if (name == NULL)
        continue;
      for (i = 0; name[i] && i + 1 < sizeof upper; i++)
        upper[i] = (char) toupper ((unsigned char) name[i]);
      upper[i] = '\0';
      cap_free (name);
      /* libcap names a capability it does not know by its number. */
      if (strncmp (upper, "CAP_", 4) == 0)
        json_object_array_add (array, json_object_new_string (upper));
    }
  return array;
}

static json_object *
seccomp_features (void)
{
  static const char *const actions[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP" };
  static const char *const operators[] = { "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE" };
  json_object *seccomp = json_object_new_object ();
  json_object *archs = json_object_new_array ();

  for (size_t i = 0; i < seccomp_n_abi_families; i++)
    for (int k = -1; k < 2; k++)
      {
        const char *abi = k < 0 ? seccomp_abi_families[i].native : seccomp_abi_families[i].compat[k];
        char upper[64] = "SCMP_ARCH_";

        for (size_t j = 10; abi && *abi && j + 1 < sizeof upper; j++, abi++)
          upper[j] = (char) toupper ((unsigned char) *abi);
        if (upper[10] != '\0')
          json_object_array_add (archs, json_object_new_string (upper));
      }
#ifdef HAVE_SECCOMP
  json_object_object_add (seccomp, "enabled", json_object_new_boolean (1));
#else
  json_object_object_add (seccomp, "enabled", json_object_new_boolean (0));
#endif
  json_object_object_add (seccomp, "actions", string_array (actions, N_ELEMENTS (actions)));
  json_object_object_add (seccomp, "operators", string_array (operators, N_ELEMENTS (operators)));
  json_object_object_add (seccomp, "archs", archs);
  return seccomp;
}

static json_object *
linux_features (void)
{
  static const char *const namespaces[] = { "cgroup", "ipc", "mount", "network", "pid", "user", "uts" };
  json_object *linux_obj = json_object_new_object ();
  json_object *cgroup = json_object_new_object ();
  json_object *apparmor = json_object_new_object ();
  json_object *selinux = json_object_new_object ();

  json_object_object_add (linux_obj, "namespaces", string_array (namespaces, N_ELEMENTS (namespaces)));
  json_object_object_add (linux_obj, "capabilities", capability_names ());
  /* nestbox's limits are cgroup v2 only, and it never asks systemd. */
  json_object_object_add (cgroup, "v1", json_object_new_boolean (0));
  json_object_object_add (cgroup, "v2", json_object_new_boolean (1));
  json_object_object_add (cgroup, "systemd", json_object_new_boolean (0));
  json_object_object_add (cgroup, "systemdUser", json_object_new_boolean (0));
  json_object_object_add (linux_obj, "cgroup", cgroup);
  json_object_object_add (linux_obj, "seccomp", seccomp_features ());
  json_object_object_add (apparmor, "enabled", json_object_new_boolean (1));
  json_object_object_add (linux_obj, "apparmor", apparmor);
#ifdef HAVE_SELINUX
  json_object_object_add (selinux, "enabled", json_object_new_boolean (1));
#else
  json_object_object_add (selinux, "enabled", json_object_new_boolean (0));
#endif
  json_object_object_add (linux_obj, "selinux", selinux);
  return linux_obj;
}

int
runc_features (void)
{
  static const char *const hooks[] = { "prestart", "createRuntime", "poststart", "poststop" };
  /* What oci_mounts.c takes: noexec is left out (warned about, not
   * applied), suid and shared propagation are refused there. */
  static const char *const mount_options[] = { "bind", "rbind", "ro", "rw", "nosuid", "nodev", "dev", "exec",
                                               "private", "rprivate", "slave", "rslave", "unbindable", "runbindable",
                                               "atime", "noatime", "relatime", "norelatime", "strictatime", "nostrictatime",
                                               "diratime", "nodiratime", "lazytime", "nolazytime" };
  json_object *features = json_object_new_object ();
  json_object *annotations = json_object_new_object ();

  json_object_object_add (features, "ociVersionMin", json_object_new_string (OCI_VERSION_MIN));
  json_object_object_add (features, "ociVersionMax", json_object_new_string (OCI_VERSION_MAX));
  json_object_object_add (features, "hooks", string_array (hooks, N_ELEMENTS (hooks)));
  json_object_object_add (features, "mountOptions", string_array (mount_options, N_ELEMENTS (mount_options)));
  json_object_object_add (features, "linux", linux_features ());
  json_object_object_add (annotations, "run.oci.nestbox.version", json_object_new_string (NESTBOX_VERSION));
  json_object_object_add (features, "annotations", annotations);
  printf ("%s\n", json_object_to_json_string_ext (features, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put (features);
  return 0;
}

int
runc_spec (const char *bundle, bool rootless)
{
  _cleanup_free_ char *path = xasprintf ("%s/config.json", bundle ? bundle : ".");
  int fd = RETRY_EINTR (open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666));
  FILE *out;

  if (fd < 0 && errno == EEXIST)
    runc_fail ("%s exists: remove it first, spec does not overwrite it", path);
  if (fd < 0)
    runc_fail ("can't write %s: %s", path, strerror (errno));
  out = fdopen (fd, "w");
  if (out == NULL)
    runc_fail ("can't write %s: %s", path, strerror (errno));
  oci_spec_write (out, rootless);
  if (fclose (out) != 0)
    {
      (void) unlink (path);
      runc_fail ("can't write %s: %s", path, strerror (errno));
    }
  return 0;
}
