// verify on encrypted backups with the password: real iOS 9.3.6 facts, damage only decryption can
// see, and the promise that no plaintext (no file at all) appears in TMPDIR or the backup.
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"
#include "mbdb.h"

#include "make_backup/backup_writer.h"
#include "support/environment.h"
#include "support/file_contents.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <plist/plist.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

struct Outcome {
    Result<VerifyResult> result = make_error(ErrorCode::Internal, "", "not run");
    FindingSink sink{1000};
};

std::unique_ptr<Outcome> verify_with_password(const fs::path& dir, const std::string& password,
                                              bool deep = false)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    auto outcome = std::make_unique<Outcome>();
    VerifyOptions options;
    options.read_data = true;
    options.deep = deep;
    std::optional<Result<UnlockedKeys>> unlocked;
    options.unlock = [&]() -> Result<const ClassKeys*> {
        unlocked.emplace(unlock_with_password(*backup, password));
        if (!*unlocked) return unlocked->error();
        return (*unlocked)->class_keys.get();
    };
    outcome->result = verify_backup(real_file_system(), *backup, options, outcome->sink);
    return outcome;
}

using test::read_bytes;

void write_bytes(const fs::path& file, ByteView bytes)
{
    std::ofstream(file, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
}

fs::path generated(const fs::path& parent, IndexFormat format)
{
    testgen::BackupSpec spec;
    spec.format = format;
    spec.encrypted = true;
    spec.file_count = 20;
    auto dir = testgen::write_backup(spec, parent);
    REQUIRE(dir);
    return *dir;
}

}  // namespace

TEST_CASE("real iOS 9.3.6 with its password: one missing blob, seven stale sizes, nothing else",
          "[verify][encrypted][real]")
{
    fs::path fixtures = test::real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    fs::path dir =
        fixtures / "hackvent2020-ios9-encrypted" / "65195ba5-2dac-49a4-9606-c9d8733bebcf";
    auto outcome = verify_with_password(dir, "20201225");
    REQUIRE(outcome->result);
    const FindingSink& sink = outcome->sink;
    CHECK(sink.count("blob.missing") == 1);
    CHECK(sink.count("blob.size_changed") == 7);
    CHECK(sink.count("blob.padding_invalid") == 0);
    CHECK(sink.count("blob.digest_mismatch") == 0);
    CHECK(sink.count("blob.key_unwrap_failed") == 0);
    CHECK(sink.count("blob.size_unverified") == 0);
    CHECK(sink.count(Severity::Error) == 1);
    CHECK(outcome->result->counts.blobs_decrypted == 320);

    // --deep: the real databases (the seven stale ones included), plists and photos decode; no
    // false alarm. 304 of the 320 files are of a type bkcheck decodes (the rest: Apple's raw
    // bitmaps, a TIFF, empty files); files whose Digest matches stay at level digest, decoded or
    // not.
    auto deep = verify_with_password(dir, "20201225", true);
    REQUIRE(deep->result);
    CHECK(deep->sink.count(Severity::Error) == 1);
    CHECK(deep->sink.count(Severity::Warning) == sink.count(Severity::Warning));
    const VerifyCounts& counts = deep->result->counts;
    CHECK(counts.blobs_decoded == 304);
    CHECK(counts.levels.digest == 264);
    CHECK(counts.levels.content == 48);
    CHECK(counts.levels.length == 8);
    CHECK(counts.levels.damaged == 1);

    auto wrong = verify_with_password(dir, "20201224");
    REQUIRE_FALSE(wrong->result);
    CHECK(wrong->result.error().code == ErrorCode::WrongPassword);
}

TEST_CASE("encrypted verify writes nothing: not in TMPDIR, not in the backup",
          "[verify][encrypted]")
{
    test::TempDir temp;
    fs::path dir = generated(temp.path() / "backups", IndexFormat::ManifestDb);
    fs::path tmpdir = temp.path() / "tmpdir";
    fs::create_directories(tmpdir);
    const char* saved = std::getenv("TMPDIR");
    std::string saved_value = saved == nullptr ? "" : saved;
    test::set_environment_variable("TMPDIR", tmpdir.string());
    auto before = test::snapshot_tree(dir);
    auto outcome = verify_with_password(dir, "bkcheck-demo");
    if (saved == nullptr) {
        test::unset_environment_variable("TMPDIR");
    } else {
        test::set_environment_variable("TMPDIR", saved_value);
    }
    REQUIRE(outcome->result);
    CHECK(outcome->result->verdict == Verdict::Ok);
    CHECK(outcome->result->counts.files == 20);
    CHECK(outcome->result->counts.blobs_decrypted == 20);
    CHECK(fs::is_empty(tmpdir));
    CHECK(test::snapshot_tree(dir) == before);
}

TEST_CASE("a file key the keybag cannot unwrap: the franken-backup", "[verify][encrypted]")
{
    test::TempDir temp;
    fs::path dir = generated(temp.path(), IndexFormat::ManifestMbdb);
    auto index = parse_mbdb(read_bytes(dir / "Manifest.mbdb"), "Manifest.mbdb");
    REQUIRE(index);
    std::size_t damaged = 0;
    for (FileRecord& record : index->records) {
        if (record.kind == FileKind::File && record.encryption_key.size() == 44 && damaged == 0) {
            record.encryption_key[20] ^= 0x01;  // as if wrapped by a keybag that is gone
            ++damaged;
        }
    }
    write_bytes(dir / "Manifest.mbdb", serialize_mbdb(index->records));
    auto outcome = verify_with_password(dir, "bkcheck-demo");
    REQUIRE(outcome->result);
    CHECK(outcome->sink.count("blob.key_unwrap_failed") == 1);
    CHECK(outcome->sink.count(Severity::Error) == 1);
    CHECK(outcome->result->verdict == Verdict::Damaged);
}

TEST_CASE("a ManifestKey that does not unwrap is damage, not a wrong password",
          "[verify][encrypted]")
{
    test::TempDir temp;
    fs::path dir = generated(temp.path(), IndexFormat::ManifestDb);
    Bytes bytes = read_bytes(dir / "Manifest.plist");
    plist_t root = nullptr;
    plist_from_memory(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<std::uint32_t>(bytes.size()), &root);
    REQUIRE(root != nullptr);
    char* key = nullptr;
    std::uint64_t length = 0;
    plist_get_data_val(plist_dict_get_item(root, "ManifestKey"), &key, &length);
    REQUIRE(length == 44);
    key[30] ^= 0x01;
    plist_dict_set_item(root, "ManifestKey", plist_new_data(key, length));
    std::free(key);
    char* out = nullptr;
    std::uint32_t out_length = 0;
    plist_to_bin(root, &out, &out_length);
    write_bytes(dir / "Manifest.plist", ByteView(reinterpret_cast<std::uint8_t*>(out), out_length));
    std::free(out);
    plist_free(root);

    auto outcome = verify_with_password(dir, "bkcheck-demo");
    REQUIRE(outcome->result);  // the password is right: not WrongPassword
    CHECK(outcome->sink.count("manifest.key_unwrap_failed") == 1);
    CHECK(outcome->result->verdict == Verdict::Unreadable);
}
