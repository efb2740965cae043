// A quarantine journal records which file system object each step moved. On Windows that is a
// 128-bit file id (ReFS uses all of it): its upper half must survive the journal, and a journal
// written without one (Linux, macOS, NTFS) must read and write exactly as before.
#include "bkcheck/quarantine_runs.h"
#include "quarantine_journal.h"

#include <catch2/catch.hpp>

using namespace bkcheck;

TEST_CASE("the journal keeps the upper half of a 128-bit file id, and reads journals without it",
          "[journal]")
{
    RunJournal journal;
    journal.id = "20261205-233000-prune-0a0b";
    journal.verb = "prune";
    journal.created = 1'764'977'400;
    journal.steps = {{"A/Manifest.db",
                      ".bkcheck-quarantine/r/removed/A/Manifest.db",
                      {0x1234'5678'9abc'def0u, 0xfedc'ba98'7654'3210u, 0x0000'0000'0000'002au}},
                     {"B", ".bkcheck-quarantine/r/removed/B", {64769, 1234567, 0}}};
    Bytes bytes = serialize_journal(journal);
    std::string text(bytes.begin(), bytes.end());
    // Only the step that has one writes it: a Linux or NTFS journal is byte for byte as before.
    REQUIRE(text.find("InodeHigh") != std::string::npos);
    CHECK(text.find("InodeHigh") == text.rfind("InodeHigh"));
    auto parsed = parse_journal(bytes, "journal.plist");
    REQUIRE(parsed);
    REQUIRE(parsed->steps.size() == 2);
    CHECK(parsed->steps[0].moved == journal.steps[0].moved);
    CHECK(parsed->steps[1].moved == journal.steps[1].moved);
    CHECK(parsed->steps[1].moved.inode_high == 0);
}
