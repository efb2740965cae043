// The journal of a quarantine run as an XML plist: readable by a person who has to recover by hand,
// and parsed with the same libplist wrapper as the backups' own plists.
#include "quarantine_journal.h"
#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"
#include "bkcheck/quarantine_runs.h"
#include "plist.h"
#include "plist_writer.h"

namespace bkcheck {
namespace {

constexpr std::uint64_t k_journal_version = 1;

struct StateName {
    RunState state;
    const char* name;
};

constexpr StateName k_state_names[] = {
    {RunState::Applying, "applying"},
    {RunState::Applied, "applied"},
    {RunState::RolledBack, "rolled_back"},
    {RunState::Undone, "undone"},
};

}  // namespace

const char* run_state_name(RunState state)
{
    for (const StateName& entry : k_state_names) {
        if (entry.state == state) return entry.name;
    }
    return "applying";
}

Bytes serialize_journal(const RunJournal& journal)
{
    std::vector<PlistBuilder> steps;
    for (const RunStep& step : journal.steps) {
        PlistBuilder entry;
        entry.set_string("From", generic_path_text(step.from))
            .set_string("To", generic_path_text(step.to))
            .set_integer("Device", step.moved.device)
            .set_integer("Inode", step.moved.inode);
        // Only a ReFS file id needs it; a journal written on Linux or NTFS has none.
        if (step.moved.inode_high != 0) entry.set_integer("InodeHigh", step.moved.inode_high);
        steps.push_back(std::move(entry));
    }
    PlistBuilder root;
    root.set_integer("JournalVersion", k_journal_version)
        .set_string("Run", journal.id)
        .set_string("Verb", journal.verb)
        .set_date("Created", journal.created)
        .set_string("State", run_state_name(journal.state))
        .set_integer("Bytes", journal.bytes)
        .set_string_array("Summary", journal.summary)
        .set_array("Steps", std::move(steps));
    return root.serialize(PlistEncoding::Xml);
}

Result<RunJournal> parse_journal(ByteView bytes, const std::string& path)
{
    auto document = PlistDocument::parse(bytes, path);
    if (!document) return std::move(document).error();
    PlistNode root = document->root();
    auto corrupt = [&](const std::string& what) {
        return make_error(ErrorCode::Corrupt, path, "not a bkcheck journal: " + what);
    };
    if (root["JournalVersion"].integer() != static_cast<std::int64_t>(k_journal_version)) {
        return corrupt("JournalVersion is not " + std::to_string(k_journal_version));
    }
    RunJournal journal;
    auto id = root["Run"].string_value();
    auto verb = root["Verb"].string_value();
    auto created = root["Created"].date_unix();
    auto state = root["State"].string_value();
    if (!id || !verb || !created || !state)
        return corrupt("Run, Verb, Created or State is missing");
    journal.id = *id;
    journal.verb = *verb;
    journal.created = *created;
    bool known_state = false;
    for (const StateName& entry : k_state_names) {
        if (*state == entry.name) {
            journal.state = entry.state;
            known_state = true;
        }
    }
    if (!known_state) return corrupt("unknown State '" + *state + "'");
    journal.bytes = static_cast<std::uint64_t>(root["Bytes"].integer().value_or(0));
    PlistNode summary = root["Summary"];
    for (std::size_t i = 0; i < summary.size(); ++i) {
        if (auto line = summary.at(i).string_value()) journal.summary.push_back(*line);
    }
    PlistNode steps = root["Steps"];
    if (steps.type() != PlistType::Array) return corrupt("Steps is not an array");
    for (std::size_t i = 0; i < steps.size(); ++i) {
        auto from = steps.at(i)["From"].string_value();
        auto to = steps.at(i)["To"].string_value();
        if (!from || !to) return corrupt("step " + std::to_string(i) + " has no From or To");
        auto device = steps.at(i)["Device"].integer();
        auto inode = steps.at(i)["Inode"].integer();
        if (!device || !inode)
            return corrupt("step " + std::to_string(i) + " has no Device or Inode");
        auto inode_high = steps.at(i)["InodeHigh"].integer().value_or(0);
        // Written with '/' everywhere; read back with the platform's separator, so a path joined
        // to it reads as one path in a message (Windows: no "C:\root\folder/Snapshot").
        RunStep step{fs::path(*from).make_preferred(),
                     fs::path(*to).make_preferred(),
                     {static_cast<std::uint64_t>(*device), static_cast<std::uint64_t>(*inode),
                      static_cast<std::uint64_t>(inode_high)}};
        // Journal paths are relative and stay inside the root: a tampered journal must not make
        // undo move files elsewhere.
        for (const fs::path& part : {step.from, step.to}) {
            if (!is_contained_path(part)) {
                return corrupt("step " + std::to_string(i) +
                               " has a path that is not plain ('..', '.', empty or "
                               "absolute): '" +
                               path_text(part) + "'");
            }
        }
        journal.steps.push_back(std::move(step));
    }
    return journal;
}

}  // namespace bkcheck
