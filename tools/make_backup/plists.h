// Info.plist, Status.plist and Manifest.plist with every key of format.md §2.1-2.3 and realistic
// values, as XML or binary, built with the library's PlistBuilder.
#pragma once

#include "content.h"

#include "bytes.h"

#include <string>
#include <string_view>

namespace bkcheck::testgen {

struct PlistOptions {
    bool binary = true;
    std::uint32_t seed = 1;
};

// Written by the host at the start of a backup (§2.1). Target Identifier is the lowercase UDID,
// Unique Identifier the uppercase one.
Bytes info_plist(const DeviceProfile& profile, const PlistOptions& options);

// Written by the device (§2.2); snapshot_state is "finished" for a completed backup.
Bytes status_plist(const DeviceProfile& profile, const PlistOptions& options,
                   std::string_view snapshot_state);

// Written by the device (§2.3). manifest_key is empty unless the Manifest.db is encrypted.
Bytes manifest_plist(const DeviceProfile& profile, const PlistOptions& options, bool encrypted,
                     ByteView keybag, ByteView manifest_key);

}  // namespace bkcheck::testgen
