/* nestbox-runc: runc's command line (the binary invoked through a
 * nestbox-runc link), for image builders and container engines that take
 * a runc-compatible runtime (buildah and podman --runtime, BuildKit's
 * --oci-worker-binary).  Global options, then one command. */
#pragma once

int runc_main (int argc, char **argv);
