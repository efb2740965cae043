#include "bkcheck/findings.h"

#include <catch2/catch.hpp>

#include <set>

using namespace bkcheck;

TEST_CASE("every catalogued code is unique, dotted, and has a remedy", "[findings]")
{
    std::set<std::string_view> codes;
    for (const FindingKind& kind : all_finding_kinds()) {
        CHECK(codes.insert(kind.code).second);
        CHECK(kind.code.find('.') != std::string_view::npos);
        CHECK_FALSE(kind.remedy.empty());
    }
}

TEST_CASE("FindingSink caps each code and counts the rest", "[findings]")
{
    FindingSink sink(2);
    for (int i = 0; i < 5; ++i) sink.add(make_finding("blob.missing", "m"));
    sink.add(make_finding("orphan.blob", "o"));
    CHECK(sink.kept().size() == 3);
    CHECK(sink.count("blob.missing") == 5);
    CHECK(sink.count(Severity::Error) == 5);
    CHECK(sink.count(Severity::Warning) == 1);
    CHECK(make_finding("orphan.blob", "o").severity == Severity::Warning);
}
