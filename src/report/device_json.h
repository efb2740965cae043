// The JSON of which device a backup is of, the same members in every verb's output.
#pragma once

#include "bkcheck/backup.h"
#include "json_writer.h"

namespace bkcheck {

// "udid", "device_name", "product_type", "product_version" (each null when no plist says it).
inline void write_device_json(JsonWriter& json, const Backup& backup)
{
    json.key("udid")
        .string_or_null(backup.udid())
        .key("device_name")
        .string_or_null(backup.device_name())
        .key("product_type")
        .string_or_null(backup.product_type())
        .key("product_version")
        .string_or_null(backup.product_version());
}

}  // namespace bkcheck
