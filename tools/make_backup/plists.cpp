#include "plists.h"

#include "random.h"

#include <plist/plist.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace bkcheck::testgen {
namespace {

// libplist dates count from 2001-01-01 (the Cocoa epoch).
constexpr std::int64_t k_cocoa_epoch_offset = 978307200;

struct PlistDeleter {
    void operator()(plist_t node) const { plist_free(node); }
};
using PlistPtr = std::unique_ptr<void, PlistDeleter>;

plist_t date(std::int64_t unix_seconds)
{
    return plist_new_date(static_cast<int32_t>(unix_seconds - k_cocoa_epoch_offset), 0);
}

plist_t data_node(ByteView bytes)
{
    return plist_new_data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

plist_t string_node(const std::string& text)
{
    return plist_new_string(text.c_str());
}

void set(plist_t dict, const char* key, plist_t value)
{
    plist_dict_set_item(dict, key, value);
}

Bytes serialize(plist_t root, bool binary)
{
    char* buffer = nullptr;
    std::uint32_t length = 0;
    if (binary) {
        plist_to_bin(root, &buffer, &length);
    } else {
        plist_to_xml(root, &buffer, &length);
    }
    Bytes out(buffer, buffer + length);
    if (binary) {
        plist_to_bin_free(buffer);
    } else {
        plist_to_xml_free(buffer);
    }
    return out;
}

std::string upper(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
    return text;
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string uuid_string(Rng& rng)
{
    Bytes bytes = rng.bytes(16);
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // RFC 4122 version 4, variant 1
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);
    std::string hex = upper(to_hex(bytes));
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

// A tiny iTunesMetadata-like binary plist for the Applications entries of Info.plist.
Bytes itunes_metadata(const std::string& bundle_id)
{
    PlistPtr root(plist_new_dict());
    set(root.get(), "softwareVersionBundleId", string_node(bundle_id));
    set(root.get(), "itemName", string_node("Example Notes"));
    set(root.get(), "bundleShortVersionString", string_node("2.4.1"));
    set(root.get(), "artistName", string_node("Example Ltd"));
    return serialize(root.get(), true);
}

// The 8-byte PNG signature and an IHDR chunk head: enough to look like Apple's placeholder icon.
Bytes placeholder_png()
{
    return {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', 0, 0, 0, 0x3C, 0, 0, 0, 0x3C};
}

}  // namespace

Bytes info_plist(const DeviceProfile& profile, const PlistOptions& options)
{
    Rng rng = Rng::derive(options.seed, "info.plist");
    PlistPtr root(plist_new_dict());
    plist_t r = root.get();

    plist_t applications = plist_new_dict();
    plist_t installed = plist_new_array();
    for (const std::string& bundle_id : profile.app_bundle_ids) {
        plist_t app = plist_new_dict();
        set(app, "ApplicationSINF", data_node(rng.bytes(64)));
        set(app, "iTunesMetadata", data_node(itunes_metadata(bundle_id)));
        set(app, "PlaceholderIcon", data_node(placeholder_png()));
        set(applications, bundle_id.c_str(), app);
        plist_array_append_item(installed, string_node(bundle_id));
    }
    set(r, "Applications", applications);
    set(r, "Build Version", string_node(profile.build_version));
    set(r, "Device Name", string_node(profile.device_name));
    set(r, "Display Name", string_node(profile.device_name));
    set(r, "GUID", string_node(upper(to_hex(rng.bytes(16)))));
    set(r, "ICCID", string_node(profile.iccid));
    set(r, "IMEI", string_node(profile.imei));
    set(r, "Installed Applications", installed);
    set(r, "Last Backup Date", date(profile.backup_date));
    set(r, "Phone Number", string_node(profile.phone_number));
    set(r, "Product Name", string_node(profile.product_name));
    set(r, "Product Type", string_node(profile.product_type));
    set(r, "Product Version", string_node(profile.product_version));
    set(r, "Serial Number", string_node(profile.serial_number));
    set(r, "Target Identifier", string_node(lower(profile.udid)));
    set(r, "Target Type", string_node("Device"));
    set(r, "Unique Identifier", string_node(upper(profile.udid)));
    plist_t itunes_files = plist_new_dict();
    set(itunes_files, "iTunesPrefs", data_node(rng.bytes(48)));
    set(itunes_files, "IC-Info.sidb", data_node(rng.bytes(32)));
    set(r, "iTunes Files", itunes_files);
    plist_t itunes_settings = plist_new_dict();
    set(itunes_settings, "LibraryApplications", plist_new_array());
    set(r, "iTunes Settings", itunes_settings);
    set(r, "iTunes Version", string_node(profile.itunes_version));
    return serialize(r, options.binary);
}

Bytes status_plist(const DeviceProfile& profile, const PlistOptions& options, std::string_view snapshot_state)
{
    Rng rng = Rng::derive(options.seed, "status.plist");
    PlistPtr root(plist_new_dict());
    plist_t r = root.get();
    set(r, "BackupState", string_node("new"));
    set(r, "Date", date(profile.backup_date + 420));  // the device finishes a few minutes after the start
    set(r, "IsFullBackup", plist_new_bool(1));
    set(r, "SnapshotState", string_node(std::string(snapshot_state)));
    set(r, "UUID", string_node(uuid_string(rng)));
    set(r, "Version", string_node(profile.status_version));
    return serialize(r, options.binary);
}

Bytes manifest_plist(const DeviceProfile& profile, const PlistOptions& options, bool encrypted, ByteView keybag,
                     ByteView manifest_key)
{
    PlistPtr root(plist_new_dict());
    plist_t r = root.get();

    plist_t applications = plist_new_dict();
    auto add_app = [&](const std::string& id, const char* container_class, const char* path) {
        plist_t app = plist_new_dict();
        set(app, "CFBundleIdentifier", string_node(id));
        set(app, "CFBundleVersion", string_node("241"));
        set(app, "ContainerContentClass", string_node(container_class));
        set(app, "Path", string_node(path));
        set(applications, id.c_str(), app);
    };
    for (const std::string& id : profile.app_bundle_ids) {
        add_app(id, "Data/Application", "/private/var/containers/Bundle/Application/Example.app");
    }
    for (const std::string& id : profile.app_group_ids) add_app(id, "Shared/AppGroup", "");
    for (const std::string& id : profile.app_plugin_ids) {
        add_app(id, "Data/PluginKitPlugin", "/private/var/containers/Bundle/Application/Example.app/PlugIns/Widget.appex");
    }
    set(r, "Applications", applications);
    set(r, "BackupKeyBag", data_node(keybag));
    set(r, "Date", date(profile.backup_date + 400));
    set(r, "IsEncrypted", plist_new_bool(encrypted ? 1 : 0));

    plist_t lockdown = plist_new_dict();
    set(lockdown, "BuildVersion", string_node(profile.build_version));
    set(lockdown, "DeviceName", string_node(profile.device_name));
    set(lockdown, "ProductType", string_node(profile.product_type));
    set(lockdown, "ProductVersion", string_node(profile.product_version));
    set(lockdown, "SerialNumber", string_node(profile.serial_number));
    set(lockdown, "UniqueDeviceID", string_node(profile.udid));
    plist_t data_sync = plist_new_dict();
    set(data_sync, "Notes", plist_new_dict());
    set(lockdown, "com.apple.mobile.data_sync", data_sync);
    plist_t accessibility = plist_new_dict();
    set(accessibility, "VoiceOverTouchEnabledByiTunes", plist_new_uint(0));
    set(accessibility, "ClosedCaptioningEnabledByiTunes", plist_new_uint(0));
    set(lockdown, "com.apple.Accessibility", accessibility);
    plist_t crash_copy = plist_new_dict();
    set(crash_copy, "ShouldSubmit", plist_new_bool(0));
    set(lockdown, "com.apple.MobileDeviceCrashCopy", crash_copy);
    set(r, "Lockdown", lockdown);

    if (!manifest_key.empty()) set(r, "ManifestKey", data_node(manifest_key));
    set(r, "SystemDomainsVersion", string_node(profile.system_domains_version));
    set(r, "Version", string_node(profile.manifest_version));
    set(r, "WasPasscodeSet", plist_new_bool(1));
    return serialize(r, options.binary);
}

}  // namespace bkcheck::testgen
