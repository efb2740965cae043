// A plan: what prune or repair would change, computed without touching the disk, printed for the
// user to read, and carried out only on --apply (apply.h). Every change is a removal into
// quarantine, a move inside a backup, or a new file whose predecessor (if any) goes to quarantine:
// nothing is deleted, so every change can be undone.
#pragma once

#include "bkcheck/bytes.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bkcheck {

namespace fs = std::filesystem;

enum class ChangeKind {
    Remove,  // move `path` into quarantine
    Move,    // move `path` to `to` inside the backups root (a misplaced blob to its folder)
    Write,   // `path` gets `content`; what was there goes to quarantine first
};

// Paths are relative to the plan's root (the folder that holds the backups), never absolute, so a
// journal stays valid when the user moves the whole folder.
struct Change {
    ChangeKind kind = ChangeKind::Remove;
    fs::path path;
    fs::path to;    // Move only
    Bytes content;  // Write only: exactly the bytes to write (already encrypted for encrypted
                    // backups)
};

struct Action {
    std::string kind;         // stable name: "remove_orphan_blob", "rebuild_status_plist", ...
    std::string subject;      // what it is about, relative to the root ("<folder>/Snapshot")
    std::string reason;       // plain words: why
    std::uint64_t bytes = 0;  // bytes it moves to quarantine (what purge would free)
    std::vector<std::string> details;  // e.g. the index records a rewrite drops
    std::vector<Change> changes;
};

struct Plan {
    fs::path root;     // the folder holding the backups (and the quarantine)
    std::string verb;  // "prune" or "repair"
    std::vector<Action> actions;
    std::vector<std::string> left_alone;  // problems seen but not changed, each with the reason
    bool access_denied = false;  // part of a backup this user may not read was left out (exit 5)

    bool empty() const { return actions.empty(); }
    std::uint64_t bytes() const;
    // Whether a change would touch something inside the folder `name` of the root (a backup).
    bool changes_folder(const fs::path& name) const;
};

}  // namespace bkcheck
