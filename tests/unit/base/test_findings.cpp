#include "bkcheck/findings.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

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

TEST_CASE("FindingSink keeps the first findings by subject, whatever order they arrive in",
          "[findings][issue-27]")
{
    // A full list is kept as a heap (issue 27): shuffled arrivals, and an amend that changes the
    // subjects, still leave the first by subject.
    FindingSink sink(8);
    std::vector<int> order(200);
    for (int i = 0; i < 200; ++i) order[i] = (i * 73) % 200;  // 73 is prime to 200: a permutation
    auto id = [](int n) {
        std::string text = std::to_string(n);
        return std::string(3 - text.size(), '0') + text;
    };
    for (int n : order) sink.add(make_finding("blob.missing", "m", id(n)));
    std::vector<std::string> kept;
    for (const Finding& finding : sink.kept()) kept.push_back(finding.file_id);
    CHECK(kept == std::vector<std::string>{"000", "001", "002", "003", "004", "005", "006", "007"});
    // Reverse the subjects' order: the largest kept becomes the smallest.
    sink.amend("blob.missing", [](Finding& finding) {
        finding.file_id = std::to_string(999 - std::stoi(finding.file_id));
    });
    sink.add(make_finding("blob.missing", "m", "000"));
    kept.clear();
    for (const Finding& finding : sink.kept()) kept.push_back(finding.file_id);
    CHECK(kept == std::vector<std::string>{"000", "992", "993", "994", "995", "996", "997", "998"});
    CHECK(sink.count("blob.missing") == 201);
}

TEST_CASE("FindingSink::merge keeps and counts what one sink fed every finding would",
          "[findings][issue-27]")
{
    // Workers collect in sinks of their own, merged at the end (issue 27): split 300 findings of
    // two codes across three sinks in an order unrelated to their subjects; the merge equals the
    // one sink that took them all.
    auto id = [](int n) {
        std::string text = std::to_string(n);
        return std::string(3 - text.size(), '0') + text;
    };
    FindingSink whole(5);
    FindingSink merged(5);
    std::vector<std::unique_ptr<FindingSink>> parts;
    for (int i = 0; i < 3; ++i) parts.push_back(std::make_unique<FindingSink>(5));
    for (int i = 0; i < 300; ++i) {
        int n = (i * 37) % 300;  // 37 is prime to 300: a permutation
        Finding finding = make_finding(n % 3 == 0 ? "orphan.blob" : "blob.missing", "m", id(n));
        whole.add(finding);
        parts[static_cast<std::size_t>(n % 7 % 3)]->add(std::move(finding));
    }
    for (auto& part : parts) merged.merge(*part);
    auto subjects = [](const FindingSink& sink) {
        std::vector<std::string> out;
        for (const Finding& finding : sink.kept())
            out.push_back(finding.code + " " + finding.file_id);
        return out;
    };
    CHECK(subjects(merged) == subjects(whole));
    CHECK(subjects(merged).front() == "blob.missing 001");
    CHECK(merged.totals() == whole.totals());
    CHECK(merged.count(Severity::Error) == 200);
    CHECK(merged.count(Severity::Warning) == 100);
    // A merged sink gives up what it held: merging it again adds nothing.
    merged.merge(*parts[0]);
    CHECK(merged.totals() == whole.totals());
}

namespace {

// The rows of the README's findings table: code -> {severity, fix column}. A row may name several
// codes ("`status_plist.missing`, `status_plist.unreadable`").
std::map<std::string, std::pair<std::string, std::string>> readme_findings_table()
{
    std::ifstream file(std::string(BKCHECK_TESTDATA_DIR) + "/../README.md");
    REQUIRE(file);
    std::stringstream text;
    text << file.rdbuf();
    std::string readme = text.str();
    std::size_t start = readme.find("#### Findings\n");
    REQUIRE(start != std::string::npos);
    std::size_t end = readme.find("\n#### ", start + 1);
    std::istringstream section(readme.substr(start, end - start));
    std::map<std::string, std::pair<std::string, std::string>> rows;
    std::regex code_pattern("`([a-z_]+\\.[a-z_]+)`");
    for (std::string line; std::getline(section, line);) {
        if (line.rfind("| `", 0) != 0) continue;
        std::vector<std::string> cells;
        std::stringstream cells_of(line.substr(1));
        for (std::string cell; std::getline(cells_of, cell, '|');) cells.push_back(cell);
        REQUIRE(cells.size() >= 4);
        for (std::sregex_iterator it(cells[0].begin(), cells[0].end(), code_pattern), done;
             it != done; ++it) {
            rows[(*it)[1]] = {cells[1].substr(1, cells[1].size() - 2), cells[3]};
        }
    }
    return rows;
}

}  // namespace

TEST_CASE("the README's findings table lists exactly the catalogue, with its severities and fixes",
          "[findings][docs]")
{
    auto rows = readme_findings_table();
    std::set<std::string> catalogue;
    for (const FindingKind& kind : all_finding_kinds()) {
        std::string code(kind.code);
        catalogue.insert(code);
        INFO(code);
        REQUIRE(rows.count(code) == 1);
        CHECK(rows[code].first == severity_name(kind.severity));
        if (kind.fix.empty()) {
            // No command named, unless each finding of the code carries its own
            // (change.unfinished).
            CHECK((rows[code].second.find('`') == std::string::npos ||
                   rows[code].second.find("per finding") != std::string::npos));
        } else {
            CHECK(rows[code].second.find("`" + std::string(kind.fix) + "`") != std::string::npos);
        }
    }
    for (const auto& [code, row] : rows) {
        INFO(code);
        CHECK(catalogue.count(code) == 1);  // no row for a code that does not exist
    }
}
