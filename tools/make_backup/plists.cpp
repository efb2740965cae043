#include "plists.h"
#include "bytes.h"

#include "random.h"

#include "plist_writer.h"

namespace bkcheck::testgen {
namespace {

PlistEncoding encoding(const PlistOptions& options)
{
    return options.binary ? PlistEncoding::Binary : PlistEncoding::Xml;
}

std::string uuid_string(Rng& rng)
{
    Bytes bytes = rng.bytes(16);
    bytes[6] =
        static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // RFC 4122 version 4, variant 1
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);
    std::string hex = to_upper_ascii(to_hex(bytes));
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

// A tiny iTunesMetadata-like binary plist for the Applications entries of Info.plist.
Bytes itunes_metadata(const std::string& bundle_id)
{
    PlistBuilder metadata;
    metadata.set_string("softwareVersionBundleId", bundle_id)
        .set_string("itemName", "Example Notes")
        .set_string("bundleShortVersionString", "2.4.1")
        .set_string("artistName", "Example Ltd");
    return metadata.serialize(PlistEncoding::Binary);
}

// The 8-byte PNG signature and an IHDR chunk head: enough to look like Apple's placeholder icon.
Bytes placeholder_png()
{
    return {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
            'I',  'H', 'D', 'R', 0,    0,    0,    0x3C, 0, 0, 0, 0x3C};
}

}  // namespace

Bytes info_plist(const DeviceProfile& profile, const PlistOptions& options)
{
    Rng rng = Rng::derive(options.seed, "info.plist");
    PlistBuilder applications;
    for (const std::string& bundle_id : profile.app_bundle_ids) {
        PlistBuilder app;
        app.set_data("ApplicationSINF", rng.bytes(64))
            .set_data("iTunesMetadata", itunes_metadata(bundle_id))
            .set_data("PlaceholderIcon", placeholder_png());
        applications.set_dict(bundle_id.c_str(), std::move(app));
    }
    PlistBuilder root;
    root.set_dict("Applications", std::move(applications))
        .set_string("Build Version", profile.build_version)
        .set_string("Device Name", profile.device_name)
        .set_string("Display Name", profile.device_name)
        .set_string("GUID", to_upper_ascii(to_hex(rng.bytes(16))))
        .set_string("ICCID", profile.iccid)
        .set_string("IMEI", profile.imei)
        .set_string_array("Installed Applications", profile.app_bundle_ids)
        .set_date("Last Backup Date", profile.backup_date)
        .set_string("Phone Number", profile.phone_number)
        .set_string("Product Name", profile.product_name)
        .set_string("Product Type", profile.product_type)
        .set_string("Product Version", profile.product_version)
        .set_string("Serial Number", profile.serial_number)
        .set_string("Target Identifier", to_lower_ascii(profile.udid))
        .set_string("Target Type", "Device")
        .set_string("Unique Identifier", to_upper_ascii(profile.udid));
    PlistBuilder itunes_files, itunes_settings;
    itunes_files.set_data("iTunesPrefs", rng.bytes(48)).set_data("IC-Info.sidb", rng.bytes(32));
    itunes_settings.set_string_array("LibraryApplications", {});
    root.set_dict("iTunes Files", std::move(itunes_files))
        .set_dict("iTunes Settings", std::move(itunes_settings))
        .set_string("iTunes Version", profile.itunes_version);
    return root.serialize(encoding(options));
}

Bytes status_plist(const DeviceProfile& profile, const PlistOptions& options,
                   std::string_view snapshot_state)
{
    Rng rng = Rng::derive(options.seed, "status.plist");
    PlistBuilder status;
    status.set_string("BackupState", "new")
        .set_date("Date",
                  profile.backup_date + 420)  // the device finishes a few minutes after the start
        .set_bool("IsFullBackup", true)
        .set_string("SnapshotState", std::string(snapshot_state))
        .set_string("UUID", uuid_string(rng))
        .set_string("Version", profile.status_version);
    return status.serialize(encoding(options));
}

Bytes manifest_plist(const DeviceProfile& profile, const PlistOptions& options, bool encrypted,
                     ByteView keybag, ByteView manifest_key)
{
    PlistBuilder applications;
    auto add_app = [&](const std::string& id, const char* container_class, const char* path) {
        PlistBuilder app;
        app.set_string("CFBundleIdentifier", id)
            .set_string("CFBundleVersion", "241")
            .set_string("ContainerContentClass", container_class)
            .set_string("Path", path);
        applications.set_dict(id.c_str(), std::move(app));
    };
    for (const std::string& id : profile.app_bundle_ids) {
        add_app(id, "Data/Application", "/private/var/containers/Bundle/Application/Example.app");
    }
    for (const std::string& id : profile.app_group_ids) add_app(id, "Shared/AppGroup", "");
    for (const std::string& id : profile.app_plugin_ids) {
        add_app(id, "Data/PluginKitPlugin",
                "/private/var/containers/Bundle/Application/Example.app/PlugIns/Widget.appex");
    }
    PlistBuilder data_sync, accessibility, crash_copy, lockdown;
    data_sync.set_dict("Notes", PlistBuilder());
    accessibility.set_integer("VoiceOverTouchEnabledByiTunes", 0)
        .set_integer("ClosedCaptioningEnabledByiTunes", 0);
    crash_copy.set_bool("ShouldSubmit", false);
    lockdown.set_string("BuildVersion", profile.build_version)
        .set_string("DeviceName", profile.device_name)
        .set_string("ProductType", profile.product_type)
        .set_string("ProductVersion", profile.product_version)
        .set_string("SerialNumber", profile.serial_number)
        .set_string("UniqueDeviceID", profile.udid)
        .set_dict("com.apple.mobile.data_sync", std::move(data_sync))
        .set_dict("com.apple.Accessibility", std::move(accessibility))
        .set_dict("com.apple.MobileDeviceCrashCopy", std::move(crash_copy));

    PlistBuilder root;
    root.set_dict("Applications", std::move(applications))
        .set_data("BackupKeyBag", keybag)
        .set_date("Date", profile.backup_date + 400)
        .set_bool("IsEncrypted", encrypted)
        .set_dict("Lockdown", std::move(lockdown));
    if (!manifest_key.empty()) root.set_data("ManifestKey", manifest_key);
    root.set_string("SystemDomainsVersion", profile.system_domains_version)
        .set_string("Version", profile.manifest_version)
        .set_bool("WasPasscodeSet", true);
    return root.serialize(encoding(options));
}

}  // namespace bkcheck::testgen
