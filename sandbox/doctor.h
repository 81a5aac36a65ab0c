/* nestbox doctor [--json]: a checklist of this environment. */
#pragma once

/* argv[0] is "doctor"; returns the exit code (0: sandboxes work here). */
int doctor_main (int argc, char **argv);
