/* The network namespace's loopback interface. */
#pragma once

/* Bring "lo" up; the kernel gives it 127.0.0.1/8 and ::1 when it goes up.
 * 0 or -errno. */
int net_loopback_up (void);
