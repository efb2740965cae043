// RAII owners for a SQLite connection and statement, so every early return closes them.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

namespace bkcheck::detail {

struct SqliteCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStatement = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

inline SqliteStatement prepare(sqlite3* db, const char* sql)
{
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
    return SqliteStatement(statement);
}

inline std::string last_error(sqlite3* db)
{
    return db == nullptr ? "out of memory" : sqlite3_errmsg(db);
}

}  // namespace bkcheck::detail
