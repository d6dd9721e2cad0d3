/* header_use.c — one translation unit that includes every public header and
 * uses every public macro, type and enum constant. tests/header compiles it
 * as C11 and as C++11 and C++17 with -Wall -Wextra -pedantic-errors -Werror
 * (nothing is linked or run): a header that stops being strict C or C++, or
 * loses its extern "C", fails those tests. */
#include <jlc.h>
#include <jlc/array.h>
#include <jlc/cfunc.h>
#include <jlc/export.h>

#ifdef __cplusplus
#define HT_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define HT_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* Version macros, in the preprocessor and in constant expressions. */
#if !JLC_VERSION_AT_LEAST(0, 0, 0) || JLC_VERSION_AT_LEAST(JLC_VERSION_MAJOR + 1, 0, 0)
#error "JLC_VERSION_AT_LEAST is wrong"
#endif
HT_ASSERT(JLC_VERSION == JLC_VERSION_NUMBER(JLC_VERSION_MAJOR, JLC_VERSION_MINOR,
                                            JLC_VERSION_PATCH),
          "JLC_VERSION is JLC_VERSION_NUMBER of its parts");
HT_ASSERT(JLC_VERSION_AT_LEAST(JLC_VERSION_MAJOR, JLC_VERSION_MINOR, JLC_VERSION_PATCH),
          "a header is at least its own version");

/* The status list: usable by callers with their own X macro. */
#define HT_COUNT(name, msg) +1
HT_ASSERT(0 JLC_STATUS_MAP(HT_COUNT) == JLC_STATUS_COUNT, "one enum value per JLC_STATUS_MAP entry");
#undef HT_COUNT
#define HT_NAME(name, msg) #name,
static const char *const ht_status_names[] = {JLC_STATUS_MAP(HT_NAME)};
#undef HT_NAME
HT_ASSERT(JLC_OK == 0, "JLC_OK is 0");

/* Handles are one 64-bit field; limits are usable as constants. */
HT_ASSERT(sizeof(jlc_scope) == 8 && sizeof(jlc_value) == 8 && sizeof(jlc_ref) == 8 &&
              sizeof(jlc_borrow) == 8,
          "handles are one uint64_t");
static size_t ht_limits[] = {JLC_MAX_KEYWORDS,    JLC_MAX_TYPE_PARAMS, JLC_MAX_NEW_FIELDS,
                             JLC_MAX_OPEN_SCOPES, JLC_MAX_HANDLES,     JLC_BORROW_MAX,
                             JLC_ARRAY_MAX_RANK,  JLC_CFUNC_MAX_ARGS};

#ifdef __cplusplus
/* Redeclaring with C linkage is an error if a header declared these without
 * extern "C" (one function of each header). */
extern "C" JLC_API jlc_status jlc_scope_open(jlc_scope parent, jlc_scope *out);
extern "C" JLC_API jlc_status jlc_array_inspect(jlc_value a, jlc_array_info *out);
extern "C" JLC_API jlc_status jlc_cfunc_flags(const void *fn, unsigned *out);
#endif

static void ht_dealloc(void *data, void *ctx)
{
    (void)data;
    (void)ctx;
}

/* An export table (jlc/export.h) with every kind of entry and its entry point. */
static jlc_status ht_exported(double a, double *out)
{
    *out = a;
    return a < 0 ? jlc_export_error("DomainError", "negative: %g", a) : JLC_OK;
}
static void ht_destroy(void *p) { (void)p; }
static const int64_t ht_answer = 42;
static const jlc_export_function ht_functions[] = {
    {"f", JLC_EXPORT_FN(ht_exported), "double(double)", "doc", 0},
    {"g", JLC_EXPORT_FN(ht_exported), "double(double)", NULL, JLC_EXPORT_NOFAIL},
    {NULL, NULL, NULL, NULL, 0}};
static const jlc_export_constant ht_constants[] = {{"ANSWER", "int64_t", &ht_answer, NULL},
                                                   {NULL, NULL, NULL, NULL}};
static const jlc_export_type ht_types[] = {{"T", ht_destroy, NULL}, {NULL, NULL, NULL}};
static const jlc_export_module ht_module = {JLC_EXPORT_ABI, "doc", ht_functions, ht_constants, ht_types};
JLC_EXPORT_MODULE(ht_module)

static jlc_status ht_region(void *ctx)
{
    (void)ctx;
    return JLC_OK;
}

/* Calls every macro as an expression and names the types, as user code does.
 * Never run: the object file is not linked. */
int jlct_header_use(void);
int jlct_header_use(void)
{
    jlc_init_options opts;
    jlc_init_options_default(&opts);
    opts.nthreads = 1;
    if (jlc_init(&opts) != JLC_OK)
        return 1;

    jlc_scope s;
    jlc_value v, mod = JLC_NO_VALUE, args[2];
    if (jlc_scope_open(JLC_NO_SCOPE, &s) != JLC_OK)
        return 1;
    jlc_eval(s, JLC_NO_VALUE, "1 + 1", &v);
    jlc_eval(s, mod, "2", &args[0]);
    args[1] = v;
    jlc_value f, r;
    jlc_global_lookup(s, "Base.+", &f);
    jlc_call(s, f, 2, args, &r);

    size_t dims[2] = {2, 3};
    jlc_value a;
    jlc_borrow b;
    const void *data;
    jlc_array_info info;
    jlc_dealloc_fn dealloc = ht_dealloc;
    (void)dealloc;
    jlc_array_new(s, JLC_FLOAT64, 2, dims, &a);
    jlc_array_inspect(a, &info);
    jlc_array_borrow(s, a, JLC_FLOAT64, sizeof(double), &b, &data);
    jlc_borrow_release(b);

    int codes[2] = {JLC_TYPE_PTR | JLC_TYPE_CONST | (int)JLC_STRUCT, (int)JLC_INT64};
    void *fn;
    unsigned flags = JLC_CFUNC_UNCHECKED | JLC_CFUNC_NO_ELISION;
    jlc_cfunc_new_typed(s, f, (int)JLC_VOID, 2, codes, NULL, JLC_CFUNC_CHECKED, &fn);
    jlc_cfunc_flags(fn, &flags);
    jlc_protect(s, ht_region, NULL);
    jlc_value d;
    jlc_export_describe(s, JLC_EXPORT_ENTRY(), &d);
    jlc_export_throw(d);
    jlc_export_rethrow();
    char ty[8], msg[8];
    jlc_export_raise(JLC_EXCEPTION, ty, sizeof ty, msg, sizeof msg);

    jlc_scope_close(s);
    jlc_shutdown(0, NULL);
    return (int)(ht_status_names[0][0] + ht_limits[0] + info.rank + flags);
}
