/* sim/error.h — how Flurm reports what went wrong.
 *
 * Library code never prints.  A function that can fail takes a
 * `flurm_error_t *err` as its last argument, fills it with one line of
 * text, and returns -1 / NULL / false.  The caller decides whether to print
 * it, add context to it, or recover.  `err` may be NULL when the caller does
 * not care why.
 *
 * Convention for the text of errors about input files (so that editors and
 * humans can jump to the spot):
 *
 *     FILE:LINE:COL: what is wrong        when the position is known
 *     FILE:LINE: what is wrong            when only the line is known
 *     FILE: where: what is wrong          for JSON, `where` is a path such
 *                                         as graph.edges[12].target
 *
 * The text is truncated, never overflowed, at FLURM_ERROR_MAX bytes.  It is
 * always one line: a message that quotes input does it through
 * flurm_error_quote(), and any control character still left in the text
 * (a newline from input quoted some other way) is replaced by '?'.
 */
#ifndef FLURM_SIM_ERROR_H
#define FLURM_SIM_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#define FLURM_ERROR_MAX 512

typedef struct flurm_error {
    char text[FLURM_ERROR_MAX];
} flurm_error_t;

/* Replace the text of `err` (no-op when err is NULL).  Always returns -1, so
 * that `return flurm_error_set (err, ...);` reads naturally. */
int flurm_error_set (flurm_error_t *err, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
int flurm_error_vset (flurm_error_t *err, const char *fmt, va_list ap)
    __attribute__ ((format (printf, 2, 0)));

/* Report a problem at a position in a named input: "SOURCE:LINE:COL: msg".
 * line <= 0 omits line and column, col <= 0 omits the column. */
int flurm_error_at (flurm_error_t *err, const char *source, int line, int col,
                    const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));

/* Room for a quote of about 120 bytes of input, its escapes included. */
#define FLURM_QUOTE_SIZE 160

/* Write `text` into buf as a double-quoted string, C style: '"', '\\' and
 * control characters escaped (\n, \t, \x01 ...), so that a message
 * quoting input stays one line and shows exactly what was read.  A text
 * that does not fit is cut, "..." marking the cut before the closing
 * quote.  Returns buf (size >= 8) for use as a printf argument. */
const char *flurm_error_quote (char *buf, size_t size, const char *text);

/* The same without the double quotes (and without escaping '"'), for
 * messages that quote input their own way: "unknown key '%s'". */
const char *flurm_error_escape (char *buf, size_t size, const char *text);

/* Both as an expression, with a buffer that lives until the end of the
 * enclosing block: flurm_error_set (err, "key '%s'", FLURM_ESCAPED (key)). */
#define FLURM_QUOTED(text) \
    flurm_error_quote ((char[FLURM_QUOTE_SIZE]){0}, FLURM_QUOTE_SIZE, (text))
#define FLURM_ESCAPED(text) \
    flurm_error_escape ((char[FLURM_QUOTE_SIZE]){0}, FLURM_QUOTE_SIZE, (text))

/* Put context in front of an existing message: "PREFIX: old text". */
int flurm_error_prefix (flurm_error_t *err, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

#endif
