/* sim/swf.h — Standard Workload Format logs (Parallel Workloads Archive).
 *
 * One job per line, 18 whitespace-separated numeric fields, -1 meaning
 * "unknown"; header lines start with ';' and carry "Key: value" pairs of
 * which MaxNodes, MaxProcs and UnixStartTime matter here.  Header values
 * may have trailing text ("338 (batch partition; 512 total)"), spacing
 * varies (";MaxNodes:" and "; MaxNodes:"): the leading decimal integer is
 * taken, and must be followed by a blank or the end of the line.  Files
 * compressed with gzip (.swf.gz) are read directly, told by their magic
 * bytes, not their name; several concatenated gzip members read as one
 * file, and bytes after the last member are an error.
 *
 * The reader keeps every field as logged; deciding what a job needs (which
 * of requested/allocated processors, run time as estimate when the
 * requested time is missing, which jobs to skip) belongs to the code that
 * turns a log into a workload, so that the policy is written once.
 *
 * Errors: "FILE:LINE: ..." for a line with other than 18 fields, a field
 * that is not a decimal number (no hex, inf or nan), a negative value other
 * than -1 in a time or count field, a non-integral count, a header value
 * that is not decimal ("0x10") or too large (MaxNodes and MaxProcs above
 * 2^31 - 1, UnixStartTime beyond int64).  The status field (11) takes any integer,
 * since real logs use codes beyond the standard's (Sandia-Ross has -2, -4).
 */
#ifndef FLURM_SIM_SWF_H
#define FLURM_SIM_SWF_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

#define FLURM_SWF_UNKNOWN (-1)
/* Refuse inputs (after decompression) above this size: no PWA log comes
 * near it, and it bounds what a corrupt gzip stream can make us allocate. */
#define FLURM_SWF_MAX_BYTES (1ull << 30)

struct flurm_swf_job {
    int64_t id;            /* 1  job number */
    double submit;         /* 2  submit time, s since log start */
    double wait;           /* 3  wait time */
    double runtime;        /* 4  run time */
    int64_t alloc_procs;   /* 5  allocated processors */
    double avg_cpu;        /* 6  average CPU time used */
    double used_mem;       /* 7  used memory (KB per processor) */
    int64_t req_procs;     /* 8  requested processors */
    double req_time;       /* 9  requested time (wall clock limit) */
    double req_mem;        /* 10 requested memory */
    int64_t status;        /* 11 0 failed, 1 completed, 5 cancelled, ... */
    int64_t user;          /* 12 */
    int64_t group;         /* 13 */
    int64_t executable;    /* 14 application number */
    int64_t queue;         /* 15 */
    int64_t partition;     /* 16 */
    int64_t preceding;     /* 17 preceding job number */
    double think;          /* 18 think time from preceding job */
    int line;              /* line in the file, for messages */
};

struct flurm_swf {
    int64_t max_nodes;       /* header MaxNodes, -1 if absent */
    int64_t max_procs;       /* header MaxProcs, -1 if absent */
    int64_t unix_start_time; /* header UnixStartTime, -1 if absent */
    struct flurm_swf_job *jobs; /* in file order */
    size_t njobs;
    size_t nlines;             /* all lines read, headers included */
};

struct flurm_swf *flurm_swf_load_file (const char *path, flurm_error_t *err);
struct flurm_swf *flurm_swf_load_buffer (const char *data, size_t len,
                                         const char *source,
                                         flurm_error_t *err);
void flurm_swf_destroy (struct flurm_swf *swf);

#endif
