#include "json_writer.h"

#include <catch2/catch.hpp>

using namespace bkcheck;

TEST_CASE("JsonWriter nests objects and arrays with commas", "[json]")
{
    JsonWriter json(false);
    json.begin_object()
        .key("a")
        .number(-1)
        .key("b")
        .begin_array()
        .boolean(true)
        .null()
        .string("x")
        .end_array()
        .key("c")
        .begin_object()
        .end_object()
        .end_object();
    CHECK(json.str() == R"({"a":-1,"b":[true,null,"x"],"c":{}})");
}

TEST_CASE("JSON strings escape control characters and replace invalid UTF-8", "[json]")
{
    std::string out;
    append_json_string(out, "q\"\\\n\x01 \xC3\xA9 \xFF \xC0\xAF \xED\xA0\x80");
    CHECK(out == "\"q\\\"\\\\\\n\\u0001 \xC3\xA9 \\ufffd \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd\"");
}

TEST_CASE("iso8601_utc formats Unix time", "[json]")
{
    CHECK(iso8601_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(iso8601_utc(1608151620) == "2020-12-16T20:47:00Z");
}
