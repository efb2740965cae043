// Writing property lists: the plists repair rebuilds (Info.plist, Status.plist) and the quarantine
// journal. A PlistBuilder owns one libplist dictionary; values are set by key and the result is
// serialized as XML or binary. (Reading stays in plist.h.)
#pragma once

#include "bytes.h"
#include "plist.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bkcheck {

enum class PlistEncoding { Xml, Binary };

class PlistBuilder {
public:
    PlistBuilder();  // an empty dictionary

    PlistBuilder& set_string(const char* key, const std::string& value);
    PlistBuilder& set_integer(const char* key, std::uint64_t value);
    PlistBuilder& set_bool(const char* key, bool value);
    PlistBuilder& set_date(const char* key, std::int64_t unix_seconds);
    PlistBuilder& set_data(const char* key, ByteView value);
    PlistBuilder& set_dict(const char* key, PlistBuilder value);
    PlistBuilder& set_array(const char* key, std::vector<PlistBuilder> dicts);
    PlistBuilder& set_string_array(const char* key, const std::vector<std::string>& values);
    // A deep copy of a node read from another plist (e.g. Manifest.plist's Lockdown dict).
    PlistBuilder& set_copy(const char* key, PlistNode node);

    Bytes serialize(PlistEncoding encoding) const;

private:
    struct Free {
        void operator()(void* node) const;
    };
    std::unique_ptr<void, Free> m_dict;
};

}  // namespace bkcheck
