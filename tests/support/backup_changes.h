// Helpers for tests of prune/repair/undo: generated backups, the tree outside the quarantine, and a
// verify whose error codes can be compared.
#pragma once

#include "bkcheck/quarantine.h"
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"

#include "make_backup/backup_writer.h"
#include "support/tree_snapshot.h"

#include <catch2/catch.hpp>

#include <ctime>
#include <limits>
#include <set>

namespace bkcheck::test {

// Everything under `root` except the quarantine: what undo must give back byte for byte.
inline TreeSnapshot snapshot_outside_quarantine(const fs::path& root)
{
    TreeSnapshot all = snapshot_tree(root);
    TreeSnapshot kept;
    for (auto& [path, what] : all) {
        if (path.rfind(k_quarantine_folder, 0) != 0) kept.emplace(path, what);
    }
    return kept;
}

// Undoes a run with the real disk; fails the test with undo's own message when it cannot.
inline void require_undo(const fs::path& root, const std::string& run_id)
{
    auto undone = undo_run(real_file_system(), real_writable_file_system(), root, run_id);
    INFO((undone ? std::string("undone") : undone.error().describe()));
    REQUIRE(undone);
    // What the run wrote itself (staged files) is gone; only its journal (and empty folders)
    // stays.
    fs::path staged = quarantine_dir(root) / run_id / "staged";
    if (fs::exists(staged)) {
        for (const auto& entry : fs::recursive_directory_iterator(staged)) {
            INFO(entry.path());
            CHECK(!entry.is_regular_file());
        }
    }
}

// After any activity window: the generated files were all written just now.
inline std::int64_t later_now()
{
    return static_cast<std::int64_t>(std::time(nullptr)) + 24 * 3600;
}

struct Unlocked {
    std::optional<UnlockedKeys> keys;
    const ClassKeys* class_keys() const { return keys ? keys->class_keys.get() : nullptr; }
};

inline Unlocked unlock_generated(const Backup& backup, const testgen::BackupSpec& spec)
{
    Unlocked unlocked;
    if (!spec.encrypted || !backup.manifest.ok()) return unlocked;  // no keybag: nothing to unlock
    auto keys = unlock_with_password(backup, spec.password);
    REQUIRE(keys);
    unlocked.keys = std::move(*keys);
    return unlocked;
}

// The error-severity codes a full verify (every blob read, with the keys) reports.
inline std::set<std::string> error_codes(const fs::path& dir, const ClassKeys* keys)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    FindingSink sink(std::numeric_limits<std::size_t>::max());
    VerifyOptions options;
    options.read_data = true;
    if (keys != nullptr) options.unlock = [keys]() -> Result<const ClassKeys*> { return keys; };
    auto result = verify_backup(real_file_system(), *backup, options, sink);
    REQUIRE(result);
    std::set<std::string> codes;
    for (const Finding& finding : sink.kept()) {
        if (finding.severity == Severity::Error) codes.insert(finding.code);
    }
    return codes;
}

}  // namespace bkcheck::test
