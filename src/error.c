/* error.c — status names and the per-thread text of the latest failure. */
#include "internal.h"

#include <stdio.h>

static const char *const status_names[] = {
#define JLC__NAME(name, msg) "JLC_" #name,
    JLC_STATUS_MAP(JLC__NAME)
#undef JLC__NAME
};

static const char *const status_msgs[] = {
#define JLC__MSG(name, msg) msg,
    JLC_STATUS_MAP(JLC__MSG)
#undef JLC__MSG
};

/* Sized for a long module path or exception summary; longer text is cut. */
static _Thread_local char last_error[1024];

const char *jlc_status_name(jlc_status st)
{
    if ((unsigned)st >= JLC_STATUS_COUNT) return "JLC_UNKNOWN_STATUS";
    return status_names[st];
}

const char *jlc_status_str(jlc_status st)
{
    if ((unsigned)st >= JLC_STATUS_COUNT) return "unknown status";
    return status_msgs[st];
}

const char *jlc_last_error(void) { return last_error; }

jlc_status jlc__fail(jlc_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return st;
}

void jlc__clear_error(void) { last_error[0] = '\0'; }
