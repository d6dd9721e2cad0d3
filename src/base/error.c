/* error.c — status names and the text of the latest failure per thread. */
#include "state.h"

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

int jlc_version(void)
{
    return JLC_VERSION_NUMBER(JLC_VERSION_MAJOR, JLC_VERSION_MINOR, JLC_VERSION_PATCH);
}

const char *jlc_last_error(void)
{
    jlc__thread *t = jlc__self();
    return t ? t->last_error : "out of memory for jlc's per-thread state";
}

jlc_status jlc__fail(jlc_status st, const char *fmt, ...)
{
    jlc__thread *t = jlc__self();
    if (!t) return st == JLC_OK ? JLC_ERR_NOMEM : st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->last_error, sizeof t->last_error, fmt, ap);
    va_end(ap);
    return st;
}

void jlc__clear_error(void)
{
    jlc__thread *t = jlc__self();
    if (t) t->last_error[0] = '\0';
}
