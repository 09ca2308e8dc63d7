// libmaxminddb (Debian: libmaxminddb-dev). Its getters are variadic or take arrays of C strings,
// which Swift calls awkwardly: each field the director reads has a small wrapper with its path.
#ifndef MIRRORSCOPE_CMAXMINDDB_SHIM_H
#define MIRRORSCOPE_CMAXMINDDB_SHIM_H
#include <maxminddb.h>
#include <string.h>

// Copies the UTF-8 string at `path` into `out` (NUL-terminated, cut to `cap` - 1 bytes); returns its
// length, or -1 when the entry has no string there.
static inline int ms_mmdb_string(MMDB_entry_s *entry, const char *const *path, char *out, size_t cap) {
    MMDB_entry_data_s data;
    if (cap == 0 || MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data
        || data.type != MMDB_DATA_TYPE_UTF8_STRING) return -1;
    size_t n = data.data_size < cap - 1 ? data.data_size : cap - 1;
    memcpy(out, data.utf8_string, n);
    out[n] = 0;
    return (int)n;
}

static inline int ms_mmdb_double(MMDB_entry_s *entry, const char *const *path, double *out) {
    MMDB_entry_data_s data;
    if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data || data.type != MMDB_DATA_TYPE_DOUBLE) return -1;
    *out = data.double_value;
    return 0;
}

static inline int ms_mmdb_uint32(MMDB_entry_s *entry, const char *const *path, unsigned int *out) {
    MMDB_entry_data_s data;
    if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data) return -1;
    switch (data.type) {
    case MMDB_DATA_TYPE_UINT32: *out = data.uint32; return 0;
    case MMDB_DATA_TYPE_UINT16: *out = data.uint16; return 0;
    default: return -1;
    }
}

static inline int ms_mmdb_country(MMDB_entry_s *e, char *out, size_t cap) {
    const char *const country[] = {"country", "iso_code", NULL};
    const char *const registered[] = {"registered_country", "iso_code", NULL};
    int n = ms_mmdb_string(e, country, out, cap);
    return n >= 0 ? n : ms_mmdb_string(e, registered, out, cap);
}

static inline int ms_mmdb_continent(MMDB_entry_s *e, char *out, size_t cap) {
    const char *const path[] = {"continent", "code", NULL};
    return ms_mmdb_string(e, path, out, cap);
}

static inline int ms_mmdb_latitude(MMDB_entry_s *e, double *out) {
    const char *const path[] = {"location", "latitude", NULL};
    return ms_mmdb_double(e, path, out);
}

static inline int ms_mmdb_longitude(MMDB_entry_s *e, double *out) {
    const char *const path[] = {"location", "longitude", NULL};
    return ms_mmdb_double(e, path, out);
}

static inline int ms_mmdb_asn(MMDB_entry_s *e, unsigned int *out) {
    const char *const path[] = {"autonomous_system_number", NULL};
    return ms_mmdb_uint32(e, path, out);
}
#endif
