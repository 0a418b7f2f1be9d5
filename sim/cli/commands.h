/* sim/cli/commands.h — the subcommands of flurm-sim.
 *
 * Each subcommand is one file sim/cli/cmd_NAME.c with one entry point that
 * receives argv with argv[0] = "NAME" and returns the process exit status:
 * 0 success, 1 bad input or a failed check, 2 wrong usage.  Commands print
 * errors as one line "flurm-sim NAME: <error text>" on stderr.
 */
#ifndef FLURM_CLI_COMMANDS_H
#define FLURM_CLI_COMMANDS_H

int cmd_topo (int argc, char **argv);
int cmd_graph (int argc, char **argv);
int cmd_jobspec (int argc, char **argv);
int cmd_match (int argc, char **argv);
int cmd_run (int argc, char **argv);
int cmd_check (int argc, char **argv);
int cmd_validate (int argc, char **argv);
int cmd_calibrate (int argc, char **argv);
int cmd_compare (int argc, char **argv);
int cmd_import (int argc, char **argv);
int cmd_profile (int argc, char **argv);
int cmd_live (int argc, char **argv);
int cmd_report (int argc, char **argv);
int cmd_sweep (int argc, char **argv);

#endif
