#include "bkcheck/extract.h"
#include "bkcheck/findings.h"

#include "extract_into.h"
#include "hash_list.h"
#include "name_probe.h"
#include "output_names.h"
#include "output_path.h"

#include "bkcheck/path_text.h"
#include "blob_plaintext.h"
#include "record_writing_pass.h"

#include <algorithm>
#include <optional>

namespace bkcheck {
namespace {

struct DirectoryAttributes {
    std::vector<std::string> components;
    std::uint32_t mode;
    std::int64_t mtime;
};

class Extractor {
public:
    Extractor(const FileSystem& file_system, const Backup& backup, OutputTree& tree,
              const NameRules& rules, const ExtractOptions& options, FindingSink& sink,
              Progress& progress)
        : m_file_system(file_system),
          m_backup(backup),
          m_tree(tree),
          m_namer(tree, rules, options.overwrite),
          m_options(options),
          m_sink(sink),
          m_progress(progress)
    {
    }

    // An error stops the run; a refusal about one record is a finding and a skip.
    Status extract(const FileRecord& record)
    {
        auto skip = [&](std::string_view code, std::string message) {
            m_sink.add(make_finding(code, std::move(message), record.file_id, record.domain,
                                    record.relative_path));
            ++m_summary.skipped;
            return Status(Ok{});
        };
        if (std::string problem = output_name_problem(record.domain, record.relative_path);
            !problem.empty()) {
            return skip(finding_code::extract_unsafe_name, problem + ": not written");
        }
        if (record.kind == FileKind::Unknown) {
            return skip(finding_code::extract_not_written,
                        "the record's mode names no file, folder or symlink: not written");
        }
        auto placement = m_namer.place(output_components(record.domain, record.relative_path),
                                       record.kind == FileKind::Directory);
        if (!placement) return placement.error();
        if (!placement->problem.empty())
            return skip(finding_code::extract_not_written, placement->problem);
        const std::vector<std::string>& components = placement->components;
        std::uint64_t written_before = written();
        Status status =
            record.kind == FileKind::Directory ? extract_directory(record, components, skip)
            : record.kind == FileKind::Symlink ? extract_symlink(record, components, skip)
                                               : extract_file(record, components, skip);
        if (status && placement->renamed() && written() != written_before)
            report_renamed(record, *placement);
        return status;
    }

    // Folders get their mode and mtime after their content is written, deepest first.
    Status finish_directories()
    {
        std::stable_sort(m_directories.begin(), m_directories.end(),
                         [](const DirectoryAttributes& a, const DirectoryAttributes& b) {
                             return a.components.size() > b.components.size();
                         });
        for (const DirectoryAttributes& dir : m_directories) {
            if (auto status = m_tree.set_directory_attributes(dir.components, dir.mode, dir.mtime);
                !status) {
                if (status.error().code != ErrorCode::InvalidArgument) return status;
            }
        }
        return Ok{};
    }

    ExtractSummary& summary() { return m_summary; }

private:
    std::uint64_t written() const
    {
        return m_summary.files + m_summary.directories + m_summary.symlinks;
    }

    void report_renamed(const FileRecord& record, const NamePlacement& placement)
    {
        std::string written_as = joined_components(placement.components);
        std::string disk = m_options.names == OutputNames::Portable ? "a macOS or Windows disk"
                                                                    : "the output folder's disk";
        std::string why = placement.made_distinct
                              ? disk +
                                    " would take its name for one already written there (by "
                                    "case or Unicode form)"
                              : disk + " refuses its name as it is (escaped as %XX)";
        Finding finding =
            make_finding(finding_code::name_renamed, "written as \"" + written_as + "\": " + why,
                         record.file_id, record.domain, record.relative_path);
        finding.written_as = std::move(written_as);
        m_sink.add(std::move(finding));
        ++m_summary.renamed;
    }

    template <typename Skip>
    Status refused(const Error& error, Skip& skip)
    {
        if (error.code != ErrorCode::InvalidArgument) return error;
        return skip(is_already_exists(error) ? finding_code::extract_exists
                                             : finding_code::extract_not_written,
                    error.message);
    }

    template <typename Skip>
    Status extract_directory(const FileRecord& record, const std::vector<std::string>& components,
                             Skip& skip)
    {
        if (auto status = m_tree.make_directory(components); !status)
            return refused(status.error(), skip);
        m_directories.push_back({components, record.mode, record.modified});
        ++m_summary.directories;
        return Ok{};
    }

    template <typename Skip>
    Status extract_symlink(const FileRecord& record, const std::vector<std::string>& components,
                           Skip& skip)
    {
        if (!symlink_target_stays_inside(components, record.target)) {
            return skip(finding_code::extract_symlink_outside,
                        "the symlink points to \"" + record.target +
                            "\", outside the output folder: not written");
        }
        if (auto status = m_tree.create_symlink(components, record.target, record.modified);
            !status) {
            return refused(status.error(), skip);
        }
        ++m_summary.symlinks;
        return Ok{};
    }

    template <typename Skip>
    Status extract_file(const FileRecord& record, const std::vector<std::string>& components,
                        Skip& skip)
    {
        if (detail::is_dataless(record)) {
            return skip(finding_code::extract_not_written,
                        "the file was in iCloud only (dataless): the backup holds no content");
        }
        if (std::string problem = file_id_problem(record.file_id); !problem.empty()) {
            return skip(finding_code::extract_unsafe_name,
                        problem + ": its content cannot be located safely; not written");
        }
        auto file = m_tree.create_file(components);
        if (!file) return refused(file.error(), skip);
        auto write = [&](ByteView bytes) { return (*file)->write(bytes); };
        auto outcome =
            detail::stream_plaintext(m_file_system, m_backup, record, m_options.keys, m_buffers,
                                     write, m_options.cancel, m_sink, m_progress);
        if (!outcome) return outcome.error();  // the temporary goes with `file`
        if (outcome->denied) {
            ++m_summary.denied;  // the access.denied finding names the blob
            return Ok{};
        }
        if (outcome->damaged && !(m_options.keep_damaged && outcome->written)) {
            ++m_summary.skipped;  // the blob.* finding says why
            return Ok{};
        }
        if (auto status = (*file)->commit(record.mode, record.modified); !status)
            return refused(status.error(), skip);
        if (outcome->damaged) {
            ++m_summary.damaged_written;
            m_sink.add(make_finding(finding_code::extract_damaged_written,
                                    "written with --keep-damaged: its content is damaged",
                                    record.file_id, record.domain, record.relative_path));
        }
        if (outcome->stale_size) ++m_summary.stale_sizes;
        ++m_summary.files;
        m_summary.bytes += outcome->plaintext_size;
        return Ok{};
    }

    const FileSystem& m_file_system;
    const Backup& m_backup;
    OutputTree& m_tree;
    OutputNamer m_namer;
    const ExtractOptions& m_options;
    FindingSink& m_sink;
    Progress& m_progress;
    detail::PlaintextBuffers m_buffers;
    std::vector<DirectoryAttributes> m_directories;
    ExtractSummary m_summary;
};

// With a filter: whether it selects no record at all, looked for before OUT is created (trial: a
// mistyped --path left an empty OUT and its names marker behind). The look stops at the first
// record selected; only when there is none does it read the whole index, and then it returns the
// summary of that empty extract (which part of the filter matched nothing, rows that do not
// decode), or the error that stopped it.
std::optional<Result<ExtractSummary>> selects_nothing(const Backup& backup,
                                                      const RecordSource& records,
                                                      const ExtractOptions& options)
{
    if (options.filter.empty()) return std::nullopt;
    ExtractSummary none;
    bool selected = false;
    RecordVisitor look;
    look.record = [&](FileRecord&& record) {
        selected = options.filter.matches(record);
        if (!selected) none.filter_tally.note(options.filter, record);
    };
    look.unreadable = [&](const UnreadableRecord&) { ++none.unreadable_rows; };
    look.wants_more = [&] { return !selected && !options.cancelled(); };
    if (Status read = records.for_each(look); !read) return Result<ExtractSummary>(read.error());
    if (selected) return std::nullopt;
    if (options.cancelled())
        return Result<ExtractSummary>(
            make_error(ErrorCode::Interrupted, path_text(backup.path), "interrupted"));
    return Result<ExtractSummary>(none);
}

}  // namespace

Result<ExtractSummary> extract_backup(const FileSystem& file_system, const Backup& backup,
                                      const RecordSource& records, const fs::path& out,
                                      const ExtractOptions& options, FindingSink& sink)
{
    if (auto inside = check_output_outside_backup(file_system, out, backup.path); !inside)
        return inside.error();
    if (auto none = selects_nothing(backup, records, options)) return std::move(*none);
    OutputFileOptions list_options = hash_list_file_options(options.overwrite);
    if (!options.hash_list.empty()) BK_TRY(check_output_file(options.hash_list, list_options));
    OutputTreeOptions tree_options;
    tree_options.overwrite = options.overwrite;
    WritableFileSystem& writer =
        options.writer != nullptr ? *options.writer : real_writable_file_system();
    auto tree = writer.open_output_tree(out, tree_options);
    if (!tree) return tree.error();
    if (options.hash_list.empty())
        return extract_into(**tree, file_system, backup, records, options, sink);
    HashingOutputTree hashing(**tree);
    auto summary = extract_into(hashing, file_system, backup, records, options, sink);
    if (!summary) return summary;
    std::string list = hashing.list();
    BK_TRY(writer.write_output_file(options.hash_list, as_bytes(list), list_options));
    summary->hash_listed = hashing.files().size();
    return summary;
}

Result<ExtractSummary> extract_into(OutputTree& out, const FileSystem& file_system,
                                    const Backup& backup, const RecordSource& records,
                                    const ExtractOptions& options, FindingSink& sink)
{
    Progress& progress = options.reporter();
    auto rules = name_rules_for(out, options.names);
    if (!rules) return rules.error();
    if (auto claimed = claim_naming_rules(out, *rules, options.names); !claimed)
        return claimed.error();
    Extractor extractor(file_system, backup, out, *rules, options, sink, progress);
    detail::RecordWritingPass pass;
    pass.phase = "extract";
    pass.cancel = options.cancel;
    pass.backup_path = backup.path;
    pass.total_for_progress = options.total_for_progress;
    pass.selects = [&](const FileRecord& record) { return options.filter.matches(record); };
    pass.write = [&](FileRecord&& record) {
        ++extractor.summary().selected;
        return extractor.extract(record);
    };
    pass.unreadable_rows = &extractor.summary().unreadable_rows;
    auto failed = [&](Error error) {
        (void)out.sync();  // keep what was written; the error is what the user must see
        return error;
    };
    if (auto status = detail::run_record_writing_pass(records, pass, progress); !status)
        return failed(status.error());
    if (auto status = extractor.finish_directories(); !status) return failed(status.error());
    // Every file is on disk; the folders' entries may not be yet, and on a tree of thousands of
    // folders that takes a while: a phase of its own, so the display does not sit at 100%.
    progress.start("extract: flushing to disk", 0);
    Status synced = out.sync();
    progress.finish();
    if (!synced) return synced.error();
    return extractor.summary();
}

Result<ExtractSummary> extract_backup(const FileSystem& file_system, const Backup& backup,
                                      const ManifestIndex& index, const fs::path& out,
                                      const ExtractOptions& options, FindingSink& sink)
{
    return extract_backup(file_system, backup, IndexRecords(index), out, options, sink);
}

}  // namespace bkcheck
