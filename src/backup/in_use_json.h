// The JSON of a backup in use (backup.h), shared by every verb that reports it.
#pragma once

#include "bkcheck/backup.h"
#include "json_writer.h"

#include <optional>
#include <vector>

namespace bkcheck {

// The one JSON shape, everywhere: "in_use": {"reason", "path", "process", "pid"} (process and pid
// null when the times tell), or "in_use": null when the backup is not in use.
void write_in_use_json(JsonWriter& json, const std::optional<InUse>& in_use);
// "backups_in_use": [{"backup": path, "in_use": {...}}], for outputs about several backups.
void write_backups_in_use_json(JsonWriter& json, const std::vector<BackupInUse>& backups);

}  // namespace bkcheck
