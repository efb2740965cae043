// bkcheck usage "By app": an app's group and plugin containers are counted with the app
// (issue 26 point 5); a group no installed app owns is listed as shared. The rules live in
// container_owner.h; the identifiers below are real ones (iOS 9 and iOS 14 backups in
// shared/fixtures/real).
#include "bkcheck/backup_index.h"
#include "bkcheck/usage.h"
#include "container_owner.h"

#include "make_backup/backup_writer.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <map>

using namespace bkcheck;

namespace {

FileRecord file(std::string domain, std::uint64_t size)
{
    FileRecord record;
    record.domain = std::move(domain);
    record.kind = FileKind::File;
    record.size = size;
    return record;
}

FileRecord folder(std::string domain)
{
    FileRecord record;
    record.domain = std::move(domain);
    record.kind = FileKind::Directory;
    return record;
}

const UsageEntry* find_app(const SpaceUsage& usage, const std::string& name)
{
    for (const UsageEntry& entry : usage.apps)
        if (entry.name == name) return &entry;
    return nullptr;
}

}  // namespace

TEST_CASE("usage counts a generated backup's group and plugin containers with their app",
          "[usage][issue-26]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 30;
    spec.write_blobs = false;
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    FindingSink sink;
    auto index = load_backup_index(real_file_system(), *backup, nullptr, sink);
    REQUIRE(index);

    // What the generator writes: one app, one of its widgets and a group of the same vendor.
    std::map<std::string, std::uint64_t> domain_bytes;
    for (const FileRecord& record : index->records)
        if (record.kind == FileKind::File) domain_bytes[record.domain] += record.size;
    const std::uint64_t app = domain_bytes.at("AppDomain-com.example.notes");
    const std::uint64_t group = domain_bytes.at("AppDomainGroup-group.com.example.shared");
    const std::uint64_t plugin = domain_bytes.at("AppDomainPlugin-com.example.notes.widget");
    REQUIRE(group > 0);
    REQUIRE(plugin > 0);

    SpaceUsage usage = space_usage(*index);
    REQUIRE(usage.apps.size() == 1);
    CHECK(usage.apps[0].name == "com.example.notes");
    CHECK(usage.apps[0].bytes == app + group + plugin);
    CHECK_FALSE(usage.apps[0].shared_group);
    // The domains list is unchanged: each container on its own.
    std::uint64_t listed_group = 0;
    for (const UsageEntry& entry : usage.domains)
        if (entry.name == "AppDomainGroup-group.com.example.shared") listed_group = entry.bytes;
    CHECK(listed_group == group);

    // Asked for the group alone, it is still the app's: the app's records decide ownership
    // whether or not the filter takes them.
    RecordFilter only_group;
    only_group.domain = "AppDomainGroup-*";
    SpaceUsage filtered = space_usage(*index, only_group);
    REQUIRE(filtered.apps.size() == 1);
    CHECK(filtered.apps[0].name == "com.example.notes");
    CHECK(filtered.apps[0].bytes == group);
}

TEST_CASE("usage lists a group no installed app owns as shared, under its own id",
          "[usage][issue-26]")
{
    SpaceUsageTally tally;
    tally.add(folder("AppDomain-com.apple.mobilenotes"));
    tally.add(file("AppDomain-com.apple.mobilenotes", 100));
    tally.add(folder("AppDomain-com.apple.mobilesafari"));
    tally.add(file("AppDomainGroup-group.com.apple.notes", 40));       // com.apple only: a tie
    tally.add(file("AppDomainGroup-group.com.apple.stocks", 7));       // Stocks not installed
    tally.add(file("AppDomainPlugin-com.apple.share.Vimeo.post", 3));  // its app not in the backup
    SpaceUsage usage = tally.result();
    REQUIRE(usage.apps.size() == 4);
    const UsageEntry* notes = find_app(usage, "com.apple.mobilenotes");
    REQUIRE(notes);
    CHECK(notes->bytes == 100);
    const UsageEntry* shared = find_app(usage, "group.com.apple.notes");
    REQUIRE(shared);
    CHECK(shared->shared_group);
    CHECK(shared->bytes == 40);
    CHECK(find_app(usage, "group.com.apple.stocks")->shared_group);
    const UsageEntry* plugin = find_app(usage, "com.apple.share.Vimeo.post");
    REQUIRE(plugin);
    CHECK_FALSE(plugin->shared_group);
    CHECK(usage.total_bytes == 150);
}

TEST_CASE("owner_of_group: longest reverse-DNS prefix, at least the vendor, no tie",
          "[usage][issue-26]")
{
    const std::set<std::string, std::less<>> apps{"com.apple.podcasts",
                                                  "com.apple.Home",
                                                  "com.apple.Home.HomeControlService",
                                                  "com.apple.weather",
                                                  "com.apple.mobilenotes",
                                                  "com.apple.icloud.apps.messages.business",
                                                  "com.google.Gmail",
                                                  "com.google.chrome.ios",
                                                  "net.whatsapp.WhatsApp",
                                                  "org.mozilla.ios.Firefox"};
    // Named after the app, with a team id or "group." in front, or a suffix after it.
    CHECK(owner_of_group("243LU875E5.groups.com.apple.podcasts", apps) == "com.apple.podcasts");
    CHECK(owner_of_group("group.com.apple.weather.internal", apps) == "com.apple.weather");
    CHECK(owner_of_group("group.net.whatsapp.WhatsApp.shared", apps) == "net.whatsapp.WhatsApp");
    CHECK(owner_of_group("group.org.mozilla.ios.firefox", apps) == "org.mozilla.ios.Firefox");
    // The app's id extends the group's.
    CHECK(owner_of_group("group.com.google.chrome", apps) == "com.google.chrome.ios");
    // A tie between an app and its own service: the app whose whole id prefixes the group's.
    CHECK(owner_of_group("com.apple.Home.group", apps) == "com.apple.Home");
    // Only the vendor in common, and one app of that vendor: that app.
    CHECK(owner_of_group("group.net.whatsapp.family", apps) == "net.whatsapp.WhatsApp");
    // Only the vendor in common with several of its apps: shared.
    CHECK(owner_of_group("group.com.google.common", apps).empty());
    CHECK(owner_of_group("group.com.apple.notes", apps).empty());
    // Nothing in common, or only the top-level domain.
    CHECK(owner_of_group("group.is.workflow.shortcuts", apps).empty());
    CHECK(owner_of_group("group.com.facebook.family", apps).empty());
    CHECK(owner_of_group("", apps).empty());
}

TEST_CASE("owner_of_plugin: the app whose whole bundle id starts the extension's",
          "[usage][issue-26]")
{
    const std::set<std::string, std::less<>> apps{"com.apple.Music", "com.apple.mobilenotes",
                                                  "com.apple.mobilenotes.extra"};
    CHECK(owner_of_plugin("com.apple.Music.MusicCoreSpotlightExtension", apps) ==
          "com.apple.Music");
    CHECK(owner_of_plugin("com.apple.mobilenotes.extra.widget", apps) ==
          "com.apple.mobilenotes.extra");
    CHECK(owner_of_plugin("com.apple.mobilenotesx.widget", apps).empty());
    CHECK(owner_of_plugin("com.apple.mobilenotes", apps).empty());
    CHECK(owner_of_plugin("com.apple.news.addrssfeed", apps).empty());
}
