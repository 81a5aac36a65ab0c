/* Signals: ending set-up on a signal, and forwarding them to the command. */
#pragma once

#include <sys/types.h>

/* Block SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 until
 * install_forwarding sends them on to target (0: nowhere). */
void block_forwarded_signals (void);
void install_forwarding (pid_t target);
/* The sandbox side, until block_forwarded_signals again: SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT end it with 128+signal. */
void end_on_signals_during_setup (void);
/* From now on, sig SIGKILLs install_forwarding's target (one held back
 * by block_signal is acted on at once). */
void kill_target_on (int sig);
void block_signal (int sig);
