// The SQLite C API as MCPStore sees it: <sqlite3.h> plus the few wrappers Swift needs
// because it cannot import variadic functions, cast macros or macros built from
// expressions.
#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import; it makes SQLite copy the text
// before the call returns. A NULL pointer (empty Swift text) binds '' rather than NULL.
static inline int csqlite_bind_text_transient(sqlite3_stmt *statement, int index, const char *text,
                                              sqlite3_uint64 length) {
    return sqlite3_bind_text64(statement, index, text ? text : "", length, SQLITE_TRANSIENT, SQLITE_UTF8);
}

// The blob counterpart of csqlite_bind_text_transient. A NULL pointer (no bytes) binds a
// zero-length blob, since sqlite3_bind_blob would bind NULL for it.
static inline int csqlite_bind_blob_transient(sqlite3_stmt *statement, int index, const void *bytes,
                                              sqlite3_uint64 length) {
    if (!bytes || length == 0) return sqlite3_bind_zeroblob(statement, index, 0);
    return sqlite3_bind_blob64(statement, index, bytes, length, SQLITE_TRANSIENT);
}

// sqlite3_db_config is variadic; this calls it for the options that take an int flag and
// an optional int out-pointer (SQLITE_DBCONFIG_DQS_DML, SQLITE_DBCONFIG_DEFENSIVE, ...).
static inline int csqlite_db_config_flag(sqlite3 *db, int option, int value) {
    return sqlite3_db_config(db, option, value, (int *)0);
}

// The extended result codes are macros built from expressions, which Swift does not
// import; the store tells constraint violations apart by them.
static const int csqlite_constraint_check = SQLITE_CONSTRAINT_CHECK;
// See csqlite_constraint_check.
static const int csqlite_constraint_foreignkey = SQLITE_CONSTRAINT_FOREIGNKEY;
// See csqlite_constraint_check.
static const int csqlite_constraint_notnull = SQLITE_CONSTRAINT_NOTNULL;
// See csqlite_constraint_check.
static const int csqlite_constraint_primarykey = SQLITE_CONSTRAINT_PRIMARYKEY;
// See csqlite_constraint_check.
static const int csqlite_constraint_unique = SQLITE_CONSTRAINT_UNIQUE;

#endif
