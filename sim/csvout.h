/* sim/csvout.h — writing CSV fields the same way everywhere (jobs.csv of
 * a simulation or an import, compare.csv): RFC 4180 quoting, numbers with
 * three decimals. */
#ifndef FLURM_SIM_CSVOUT_H
#define FLURM_SIM_CSVOUT_H

#include <stdio.h>

/* s as one field, quoted when it holds a comma, a quote or a line break;
 * NULL writes nothing (an empty field). */
void flurm_csv_text (FILE *f, const char *s);

/* x with three decimals ("%.3f", whole values written without printf);
 * NaN writes nothing. */
void flurm_csv_number (FILE *f, double x);

#endif
