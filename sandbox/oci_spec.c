/* A starting config.json (oci_spec.h): a shell in a root file system at
 * ./rootfs, read-only, with its own pid, network, ipc, uts, mount and
 * cgroup namespaces, three capabilities, the runtimes' masked and
 * read-only /proc paths, and nothing nestbox-runc would warn about. */
#include "oci_spec.h"

#include <unistd.h>

static void
write_process (FILE *out)
{
  static const char caps[] = "[\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]";

  fputs ("  \"process\": {\n"
         "    \"terminal\": true,\n"
         "    \"user\": {\"uid\": 0, \"gid\": 0},\n"
         "    \"args\": [\"sh\"],\n"
         "    \"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"TERM=xterm\"],\n"
         "    \"cwd\": \"/\",\n"
         "    \"capabilities\": {\n",
         out);
  fprintf (out, "      \"bounding\": %s,\n      \"effective\": %s,\n      \"permitted\": %s\n    },\n", caps, caps, caps);
  fputs ("    \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}],\n"
         "    \"noNewPrivileges\": true\n"
         "  },\n",
         out);
}

static void
write_mounts (FILE *out, bool rootless)
{
  fputs ("  \"mounts\": [\n"
         "    {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},\n"
         "    {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},\n",
         out);
  /* One gid is mapped when rootless: gid 5 (tty) would not exist. */
  fprintf (out, "    {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\", \"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\"%s]},\n",
           rootless ? "" : ", \"gid=5\"");
  fputs ("    {\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\", \"options\": [\"nosuid\", \"nodev\", \"mode=1777\", \"size=65536k\"]},\n"
         "    {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\", \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},\n",
         out);
  if (rootless)
    fputs ("    {\"destination\": \"/sys\", \"type\": \"none\", \"source\": \"/sys\", \"options\": [\"rbind\", \"nosuid\", \"nodev\", \"ro\"]},\n", out);
  else
    fputs ("    {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\", \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]},\n", out);
  fputs ("    {\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\", \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\"]}\n"
         "  ],\n",
         out);
}

static void
write_linux (FILE *out, bool rootless)
{
  fputs ("  \"linux\": {\n"
         "    \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"mount\"}, {\"type\": \"cgroup\"}",
         out);
  if (rootless)
    fprintf (out, ", {\"type\": \"user\"}],\n"
                  "    \"uidMappings\": [{\"containerID\": 0, \"hostID\": %u, \"size\": 1}],\n"
                  "    \"gidMappings\": [{\"containerID\": 0, \"hostID\": %u, \"size\": 1}],\n",
             (unsigned) geteuid (), (unsigned) getegid ());
  else
    fputs ("],\n"
           "    \"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]},\n",
           out);
  fputs ("    \"maskedPaths\": [\"/proc/acpi\", \"/proc/asound\", \"/proc/interrupts\", \"/proc/kcore\", \"/proc/keys\", \"/proc/latency_stats\",\n"
         "                    \"/proc/timer_list\", \"/proc/timer_stats\", \"/proc/sched_debug\", \"/proc/scsi\", \"/sys/firmware\"],\n"
         "    \"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", \"/proc/sysrq-trigger\"]\n"
         "  }\n",
         out);
}

void
oci_spec_write (FILE *out, bool rootless)
{
  fputs ("{\n"
         "  \"ociVersion\": \"1.0.2\",\n",
         out);
  write_process (out);
  fputs ("  \"root\": {\"path\": \"rootfs\", \"readonly\": true},\n"
         "  \"hostname\": \"nestbox\",\n",
         out);
  write_mounts (out, rootless);
  write_linux (out, rootless);
  fputs ("}\n", out);
}
