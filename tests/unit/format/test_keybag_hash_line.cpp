// keybag_hash_line: the line hashcat (14700/14800) and John read. Each line is parsed back here
// field by field, as a cracker would, and its WPKY unwrapped with the key derived from the line's
// own fields and the known password: that proves the fields are the right ones, in the right order.
#include "keybag_hash_line.h"
#include "pbkdf2.h"
#include "plist.h"

#include "support/file_contents.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

// format.md §5.8: password "test", DPSL 20×11, DPIC 1000, SALT 20×22, ITER 10, one class-4 record.
// clang-format off
const char* const k_synthetic_keybag =
    "5645525300000004000000055459504500000004000000015555494400000010000000000000000000000000000000"
    "00484d434b00000028000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0057524150000000040000000053414c5400000014222222222222222222222222222222222222222249544552000000"
    "040000000a4450575400000004000000014450494300000004000003e84450534c000000141111111111111111111111"
    "111111111111111111555549440000001001010101010101010101010101010101434c41530000000400000004575241"
    "5000000004000000024b545950000000040000000057504b59000000281ad77013269f90342e08768ce4aa395924b747"
    "32637e797f1500723a2a51a59347a35516005ee457";
// clang-format on

std::vector<std::string> split_fields(const std::string& line)
{
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
        std::size_t star = line.find('*', start);
        fields.push_back(line.substr(start, star - start));
        if (star == std::string::npos) return fields;
        start = star + 1;
    }
}

// What a cracker does with the line and one candidate: true when the WPKY unwraps.
bool line_accepts(const std::string& line, std::string_view password)
{
    std::vector<std::string> fields = split_fields(line);
    REQUIRE(fields.size() == 7);
    REQUIRE(fields[0] == "$itunes_backup$");
    auto wpky = from_hex(fields[2]);
    auto salt = from_hex(fields[4]);
    REQUIRE(wpky);
    REQUIRE(wpky->size() == 40);
    REQUIRE(salt);
    REQUIRE(salt->size() == 20);
    auto iterations = static_cast<std::uint32_t>(std::stoul(fields[3]));
    SecretBytes first_stage(as_bytes(password));
    if (fields[1] == "10") {
        auto dp_salt = from_hex(fields[6]);
        REQUIRE(dp_salt);
        REQUIRE(dp_salt->size() == 20);
        first_stage = pbkdf2_hmac_sha256(as_bytes(password), *dp_salt,
                                         static_cast<std::uint32_t>(std::stoul(fields[5])), 32);
    } else {
        REQUIRE(fields[1] == "9");
        REQUIRE(fields[5].empty());
        REQUIRE(fields[6].empty());
    }
    SecretBytes passcode_key = pbkdf2_hmac_sha1(first_stage.view(), *salt, iterations, 32);
    return aes_key_unwrap(passcode_key.view(), *wpky).has_value();
}

std::string with_wpky_byte_flipped(std::string line)
{
    std::size_t at = std::string("$itunes_backup$*10*").size();  // inside WPKY for both modes
    line[at] = line[at] == '0' ? '1' : '0';
    return line;
}

Bytes real_keybag(const fs::path& manifest_plist)
{
    Bytes bytes = test::read_bytes(manifest_plist);
    auto document = PlistDocument::parse(bytes, manifest_plist.string());
    REQUIRE(document);
    return document->root()["BackupKeyBag"].data().value_or(Bytes());
}

}  // namespace

TEST_CASE("hash line: mode 10 with DPSL/DPIC, mode 9 without, read back and unwrapped",
          "[keybag][hash-line]")
{
    auto keybag = parse_keybag(*from_hex(k_synthetic_keybag));
    REQUIRE(keybag);
    auto line = keybag_hash_line(*keybag);
    REQUIRE(line);
    CHECK(*line ==
          "$itunes_backup$*10*"
          "1ad77013269f90342e08768ce4aa395924b74732637e797f1500723a2a51a59347a35516"
          "005ee457*10*2222222222222222222222222222222222222222*1000*"
          "1111111111111111111111111111111111111111");
    CHECK(line_accepts(*line, "test"));
    CHECK_FALSE(line_accepts(*line, "wrong"));
    CHECK_FALSE(line_accepts(with_wpky_byte_flipped(*line), "test"));

    // Without the tags: mode 9 and two empty fields, whatever else the keybag says.
    keybag->dp_salt.clear();
    keybag->dp_iterations.reset();
    auto nine = keybag_hash_line(*parse_keybag(serialize_keybag(*keybag)));
    REQUIRE(nine);
    CHECK(nine->rfind("$itunes_backup$*9*1ad77013", 0) == 0);
    CHECK(nine->substr(nine->size() - 2) == "**");
}

TEST_CASE("hash line: a keybag no cracker could use is Corrupt, saying why", "[keybag][hash-line]")
{
    struct Case {
        const char* what;
        void (*damage)(Keybag&);
        const char* says;
    };
    const Case cases[] = {
        {"no ITER", [](Keybag& k) { k.iterations.reset(); }, "ITER"},
        {"short SALT", [](Keybag& k) { k.salt.resize(19); }, "SALT has 19 bytes"},
        {"DPSL alone", [](Keybag& k) { k.dp_iterations.reset(); }, "DPSL but no DPIC"},
        {"DPIC alone", [](Keybag& k) { k.dp_salt.clear(); }, "DPIC but no DPSL"},
        {"device-wrapped only", [](Keybag& k) { k.classes[0].wrap = 1u; }, "no passcode-wrapped"},
        {"short WPKY", [](Keybag& k) { k.classes[0].wrapped_key.resize(32); },
         "no passcode-wrapped"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        auto keybag = parse_keybag(*from_hex(k_synthetic_keybag));
        REQUIRE(keybag);
        c.damage(*keybag);
        auto line = keybag_hash_line(*keybag);
        REQUIRE_FALSE(line);
        CHECK(line.error().code == ErrorCode::Corrupt);
        CHECK(line.error().message.find(c.says) != std::string::npos);
    }
}

TEST_CASE("hash line of every real keybag unwraps its WPKY with the known password",
          "[keybag][hash-line][real][slow]")
{
    fs::path fixtures = test::real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    struct Case {
        fs::path file;
        const char* password;
        const char* mode;
    };
    const Case cases[] = {
        {fixtures / "john-keybags" / "Manifest-9-test123.plist", "test123", "9"},
        {fixtures / "john-keybags" / "Manifest-9-123456.plist", "123456", "9"},
        // iOS 10.2 exactly: mode 10 because the keybag has DPSL/DPIC (DPIC 10,000,000).
        {fixtures / "john-keybags" / "Manifest-10-test123.plist", "test123", "10"},
        {fixtures / "hackvent2020-ios9-encrypted" / "65195ba5-2dac-49a4-9606-c9d8733bebcf" /
             "Manifest.plist",
         "20201225", "9"},
    };
    for (const Case& c : cases) {
        INFO(c.file.string());
        auto keybag = parse_keybag(real_keybag(c.file));
        REQUIRE(keybag);
        auto line = keybag_hash_line(*keybag);
        REQUIRE(line);
        CHECK(split_fields(*line)[1] == c.mode);
        CHECK(line_accepts(*line, c.password));
        CHECK_FALSE(line_accepts(with_wpky_byte_flipped(*line), c.password));
        // A wrong password costs another 10,000,000 rounds on the iOS 10.2 keybag: mode 9 only.
        if (std::string(c.mode) == "9") CHECK_FALSE(line_accepts(*line, "not-the-password"));
    }
}
