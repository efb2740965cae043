#include "bkcheck/backup.h"
#include "in_use_json.h"

#include "bkcheck/path_text.h"
#include "open_files.h"

namespace bkcheck {
namespace {

const std::string k_recently =
    "in the last " + std::to_string(k_activity_window_seconds / 60) + " minutes";

bool recent(const FileSystem& file_system, const fs::path& path, std::int64_t now)
{
    auto stat = file_system.stat(path);
    return stat && stat->modified > now - k_activity_window_seconds;
}

std::optional<InUse> held_open(const FileSystem& file_system, const Backup& backup)
{
    // Where the OS cannot tell (Unsupported), the times below are all there is.
    auto holders = processes_holding_files_in(file_system, backup.path);
    if (!holders || holders->empty()) return std::nullopt;
    const OpenFileHolder& holder = holders->front();
    return InUse{"held open by " + holder.process + " (pid " + std::to_string(holder.pid) + ")",
                 holder.file, holder.process, holder.pid};
}

std::optional<InUse> recently_written(const FileSystem& file_system, const Backup& backup,
                                      std::int64_t now)
{
    // Apple's software writes no links: a linked Snapshot, Status.plist or -wal is not a backup
    // being written, and what it points to (anywhere: /tmp changes all the time) is not looked at.
    fs::path snapshot = backup.path / "Snapshot";
    if (!backup.is_link("Snapshot")) {
        if (recent(file_system, snapshot, now))
            return InUse{"changed " + k_recently, snapshot, "", 0};
        if (auto entries = file_system.list(snapshot)) {
            for (const DirEntry& entry : *entries) {
                if (recent(file_system, snapshot / entry.name, now)) {
                    return InUse{"changed " + k_recently, snapshot / entry.name, "", 0};
                }
            }
        }
    }
    bool finished = backup.status.ok() && backup.status.value.snapshot_state == "finished";
    if (!finished && !backup.is_link("Status.plist") &&
        recent(file_system, backup.path / "Status.plist", now)) {
        // A Status.plist not read says nothing of the session (trial: one this user may not read
        // was called unfinished): say what is known, that it changed and could not be read.
        if (!backup.status.ok()) {
            return InUse{
                "Status.plist changed " + k_recently + " and could not be read (" +
                    (backup.status.denied ? "this user may not read it" : backup.status.problem) +
                    "), so whether the backup session finished is not known",
                backup.path / "Status.plist", "", 0};
        }
        return InUse{"the backup session is not finished and was updated " + k_recently,
                     backup.path / "Status.plist", "", 0};
    }
    if (!backup.is_link("Manifest.db-wal") &&
        recent(file_system, backup.path / "Manifest.db-wal", now)) {
        return InUse{"the index was written " + k_recently, backup.path / "Manifest.db-wal", "", 0};
    }
    return std::nullopt;
}

}  // namespace

std::optional<InUse> backup_in_use(const FileSystem& file_system, const Backup& backup,
                                   std::int64_t now)
{
    if (auto holder = held_open(file_system, backup)) return holder;
    return recently_written(file_system, backup, now);
}

std::string describe_in_use(const InUse& in_use)
{
    if (!in_use.process.empty()) {
        return in_use.process + " (pid " + std::to_string(in_use.pid) + ") has " +
               path_text(in_use.path) + " open";
    }
    return path_text(in_use.path) + ": " + in_use.reason;
}

void write_in_use_json(JsonWriter& json, const std::optional<InUse>& in_use)
{
    json.key("in_use");
    if (!in_use) {
        json.null();
        return;
    }
    json.begin_object()
        .key("reason")
        .string(in_use->reason)
        .key("path")
        .string(path_text(in_use->path))
        .key("process")
        .string_or_null(in_use->process)
        .key("pid");
    if (in_use->process.empty())
        json.null();
    else
        json.number(in_use->pid);
    json.end_object();
}

void write_backups_in_use_json(JsonWriter& json, const std::vector<BackupInUse>& backups)
{
    json.key("backups_in_use").begin_array();
    for (const auto& [backup, in_use] : backups) {
        json.begin_object().key("backup").string(path_text(backup));
        write_in_use_json(json, in_use);
        json.end_object();
    }
    json.end_array();
}

}  // namespace bkcheck
