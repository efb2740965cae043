#include "bkcheck/export_backup.h"
#include "bkcheck/findings.h"

#include "export_into.h"
#include "hash_list.h"
#include "manifest_db_builder.h"
#include "mbdb.h"
#include "name_probe.h"
#include "output_path.h"
#include "plist.h"
#include "plist_writer.h"

#include "bkcheck/path_text.h"
#include "blob_plaintext.h"
#include "record_writing_pass.h"
#include "verify_steps.h"

#include <optional>

namespace bkcheck {
namespace {

constexpr std::uint32_t k_blob_mode = 0644;

// The exported index, built as the blobs are written, in the source's format: what it holds is
// about the size of the file it becomes, not the records themselves. Records are added in batches:
// encoding and inserting a few thousand at a time, between the blob writes rather than one among
// each, keeps SQLite's and libplist's working set in the CPU's caches (one by one cost a third more
// user time on a 50,000-file export).
class ExportedIndex {
public:
    static Result<ExportedIndex> open(BackupFormat format)
    {
        ExportedIndex index;
        index.m_batch.reserve(k_batch_records);
        if (format == BackupFormat::ManifestMbdb) {
            index.m_mbdb = mbdb_header();
            return index;
        }
        auto builder = ManifestDbBuilder::open();
        if (!builder) return std::move(builder).error();
        index.m_db.emplace(std::move(*builder));
        return index;
    }

    Status add(FileRecord&& record)
    {
        ++m_records;
        m_batch.push_back(std::move(record));
        if (m_batch.size() < k_batch_records) return Ok{};
        return flush();
    }

    std::uint64_t records() const { return m_records; }

    Status write_to(OutputFile& file)
    {
        BK_TRY(flush());
        if (!m_db) return file.write(m_mbdb);
        return m_db->finish([&](ByteView piece) { return file.write(piece); });
    }

private:
    static constexpr std::size_t k_batch_records = 4096;  // about 2 MB of records

    Status flush()
    {
        for (const FileRecord& record : m_batch) {
            if (!m_db) {
                append_mbdb_record(record, m_mbdb);
                continue;
            }
            BK_TRY(m_db->add(record));
        }
        m_batch.clear();
        return Ok{};
    }

    std::optional<ManifestDbBuilder> m_db;
    Bytes m_mbdb;
    std::vector<FileRecord> m_batch;
    std::uint64_t m_records = 0;
};

Status write_whole(OutputTree& tree, const std::vector<std::string>& components, ByteView bytes,
                   std::int64_t mtime)
{
    auto file = tree.create_file(components);
    if (!file) return file.error();
    if (auto status = (*file)->write(bytes); !status) return status;
    return (*file)->commit(k_blob_mode, mtime);
}

// Manifest.plist without what only an encrypted backup has; every other key as the device wrote it.
Result<Bytes> unencrypted_manifest_plist(const FileSystem& file_system, const Backup& backup)
{
    fs::path path = backup.path / "Manifest.plist";
    auto bytes = file_system.read_file(path, k_max_plist_file_bytes);
    if (!bytes) return bytes.error();
    auto document = PlistDocument::parse(*bytes, path_text(path));
    if (!document) return document.error();
    PlistBuilder builder;
    for (const auto& [key, node] : document->root().items()) {
        if (key == "IsEncrypted" || key == "ManifestKey" || key == "BackupKeyBag") continue;
        builder.set_copy(key.c_str(), node);
    }
    builder.set_bool("IsEncrypted", false);
    return builder.serialize(document->is_binary() ? PlistEncoding::Binary : PlistEncoding::Xml);
}

class Exporter {
public:
    Exporter(const FileSystem& file_system, const Backup& backup, OutputTree& tree,
             std::string folder, ExportedIndex index, const ExportOptions& options,
             FindingSink& sink, Progress& progress)
        : m_file_system(file_system),
          m_backup(backup),
          m_tree(tree),
          m_folder(std::move(folder)),
          m_index(std::move(index)),
          m_options(options),
          m_sink(sink),
          m_progress(progress)
    {
    }

    // Writes the record's blob and adds the record (as exported) to the index, or reports why it
    // is left out.
    Status export_record(FileRecord record)
    {
        auto leave_out = [&](std::string_view code, std::string message) {
            m_sink.add(make_finding(code, std::move(message), record.file_id, record.domain,
                                    record.relative_path));
            ++m_summary.skipped;
            return Status(Ok{});
        };
        // The fileID names the blob file: the one name here that comes from the backup.
        if (std::string problem = file_id_problem(record.file_id); !problem.empty()) {
            return leave_out(finding_code::extract_unsafe_name,
                             problem + ": left out of the export");
        }
        // What verify calls damage (record.unsafe_path) is not carried into a backup meant to
        // verify clean.
        if (detail::leaves_its_domain(record.domain, record.relative_path)) {
            return leave_out(finding_code::record_unsafe_path,
                             "the path leaves its domain: left out of the export");
        }
        if (record.kind != FileKind::File || detail::is_dataless(record))
            return add_to_index(record);
        std::vector<std::string> components{m_folder};
        if (m_backup.format == BackupFormat::ManifestDb)
            components.push_back(record.file_id.substr(0, 2));
        components.push_back(record.file_id);
        auto file = m_tree.create_file(components);
        if (!file) {
            if (file.error().code != ErrorCode::InvalidArgument) return file.error();
            return leave_out(finding_code::extract_not_written, file.error().message);
        }
        auto write = [&](ByteView bytes) { return (*file)->write(bytes); };
        auto outcome =
            detail::stream_plaintext(m_file_system, m_backup, record, m_options.keys, m_buffers,
                                     write, m_options.cancel, m_sink, m_progress);
        if (!outcome) return outcome.error();
        if (outcome->denied) {
            ++m_summary
                  .denied;  // the access.denied finding names the blob; its record is left out too
            return Ok{};
        }
        if (outcome->damaged && !(m_options.keep_damaged && outcome->written)) {
            ++m_summary.skipped;  // the blob.* finding says why; its record is left out too
            return Ok{};
        }
        if (auto status = (*file)->commit(k_blob_mode, record.modified); !status) return status;
        if (outcome->damaged) {
            m_sink.add(make_finding(finding_code::extract_damaged_written,
                                    "exported with --keep-damaged: its content is damaged",
                                    record.file_id, record.domain, record.relative_path));
        }
        if (record.size != outcome->plaintext_size) {
            m_sink.add(make_finding(finding_code::export_size_fixed,
                                    "recorded as " + std::to_string(outcome->plaintext_size) +
                                        " bytes (was " + std::to_string(record.size) + ")",
                                    record.file_id, record.domain, record.relative_path));
            record.size = outcome->plaintext_size;
            ++m_summary.sizes_fixed;
        }
        // The source Digest is the SHA-1 of the ciphertext: recomputed for the plaintext written,
        // in the same pass; a record without one stays without (iOS 10+ leaves most empty).
        if (!record.digest.empty())
            record.digest.assign(outcome->plaintext_sha1.begin(), outcome->plaintext_sha1.end());
        ++m_summary.files;
        m_summary.bytes += outcome->plaintext_size;
        return add_to_index(record);
    }

    Status write_index()
    {
        m_summary.records = m_index.records();
        auto file = m_tree.create_file({m_folder, index_file_name(m_backup.format)});
        if (!file) return file.error();
        BK_TRY(m_index.write_to(**file));
        return (*file)->commit(k_blob_mode, now());
    }

    Status write_plists()
    {
        if (m_backup.manifest.ok()) {
            auto manifest = unencrypted_manifest_plist(m_file_system, m_backup);
            if (!manifest) return manifest.error();
            if (auto status = write_whole(m_tree, {m_folder, "Manifest.plist"}, *manifest, now());
                !status)
                return status;
        }
        // Info.plist, then Status.plist last: until it is there the export reads as unfinished.
        for (const char* name : {"Info.plist", "Status.plist"}) {
            auto bytes = m_file_system.read_file(m_backup.path / name, k_max_plist_file_bytes);
            if (!bytes) {
                if (bytes.error().code == ErrorCode::NotFound) continue;
                return bytes.error();
            }
            // Everything before it is durable before Status.plist's name is given.
            if (std::string_view(name) == "Status.plist") BK_TRY(m_tree.sync());
            if (auto status = write_whole(m_tree, {m_folder, name}, *bytes, now()); !status)
                return status;
        }
        return Ok{};
    }

    ExportSummary& summary() { return m_summary; }

private:
    static std::int64_t now() { return static_cast<std::int64_t>(::time(nullptr)); }

    // An export has no EncryptionKeys: its blobs are plaintext.
    Status add_to_index(FileRecord& record)
    {
        record.encryption_key.clear();
        return m_index.add(std::move(record));
    }

    const FileSystem& m_file_system;
    const Backup& m_backup;
    OutputTree& m_tree;
    std::string m_folder;
    ExportedIndex m_index;
    const ExportOptions& m_options;
    FindingSink& m_sink;
    Progress& m_progress;
    detail::PlaintextBuffers m_buffers;
    ExportSummary m_summary;
};

}  // namespace

Result<ExportSummary> export_backup(const FileSystem& file_system, const Backup& backup,
                                    const RecordSource& records, const fs::path& out,
                                    const ExportOptions& options, FindingSink& sink)
{
    if (backup.format != BackupFormat::ManifestDb && backup.format != BackupFormat::ManifestMbdb) {
        return make_error(ErrorCode::Unsupported, path_text(backup.path),
                          "only iOS 5+ backups can be exported");
    }
    if (auto inside = check_output_outside_backup(file_system, out, backup.path); !inside)
        return inside.error();
    // A plist this user may not read cannot be copied: refused before anything is written, rather
    // than after every blob (a partial export left behind).
    auto refused = [&](const char* name, const std::string& problem) {
        return make_error(ErrorCode::Io, path_text(backup.path / name),
                          "this user may not read it, so it cannot be exported: " + problem);
    };
    if (backup.info.denied) return refused("Info.plist", backup.info.problem);
    if (backup.status.denied) return refused("Status.plist", backup.status.problem);
    if (backup.manifest.denied) return refused("Manifest.plist", backup.manifest.problem);
    std::string folder = backup.folder_name;
    if (std::string problem = output_name_problem(folder, ""); !problem.empty()) {
        return make_error(ErrorCode::InvalidArgument, folder,
                          "the backup's folder name cannot be used: " + problem);
    }
    OutputFileOptions list_options = hash_list_file_options(false);
    if (!options.hash_list.empty()) BK_TRY(check_output_file(options.hash_list, list_options));
    WritableFileSystem& writer =
        options.writer != nullptr ? *options.writer : real_writable_file_system();
    auto tree = writer.open_output_tree(out, {});
    if (!tree) return tree.error();
    if (options.hash_list.empty())
        return export_into(**tree, out, file_system, backup, records, options, sink);
    HashingOutputTree hashing(**tree);
    auto summary = export_into(hashing, out, file_system, backup, records, options, sink);
    if (!summary) return summary;
    std::string list = hashing.list();
    BK_TRY(writer.write_output_file(options.hash_list, as_bytes(list), list_options));
    summary->hash_listed = hashing.files().size();
    return summary;
}

Result<ExportSummary> export_into(OutputTree& tree, const fs::path& out,
                                  const FileSystem& file_system, const Backup& backup,
                                  const RecordSource& records, const ExportOptions& options,
                                  FindingSink& sink)
{
    Progress& progress = options.reporter();
    std::string folder = backup.folder_name;
    auto index = ExportedIndex::open(backup.format);
    if (!index) return index.error();
    auto rules = name_rules_for(tree, options.names);
    if (!rules) return rules.error();
    std::string original_folder = folder;
    folder = escape_component(original_folder, *rules);
    // Taken also when the disk (or, portable, any disk) would take an entry there for this name.
    auto existing = tree.list_names({});
    if (!existing) return existing.error();
    for (const std::string& name : *existing) {
        if (fold_key(name, *rules) != fold_key(folder, *rules)) continue;
        return make_error(
            ErrorCode::InvalidArgument, path_text(out / name),
            "already exists: export writes a new backup folder (remove it or choose another OUT)");
    }
    if (folder != original_folder) {
        Finding finding =
            make_finding(finding_code::name_renamed,
                         "the export folder is written as \"" + folder + "\": " +
                             (options.names == OutputNames::Portable ? "a macOS or Windows disk"
                                                                     : "the output folder's disk") +
                             " refuses its name as it is (escaped as %XX)",
                         "", "", original_folder);
        finding.written_as = folder;
        sink.add(std::move(finding));
    }
    if (auto status = tree.make_directory({folder}); !status) return status.error();
    Exporter exporter(file_system, backup, tree, folder, std::move(*index), options, sink,
                      progress);
    exporter.summary().folder = out / folder;
    detail::RecordWritingPass pass;
    pass.phase = "export";
    pass.cancel = options.cancel;
    pass.backup_path = backup.path;
    pass.total_for_progress = options.total_for_progress;
    pass.selects = [](const FileRecord&) { return true; };
    pass.write = [&](FileRecord&& record) { return exporter.export_record(std::move(record)); };
    pass.unreadable_rows = &exporter.summary().unreadable_rows;
    auto failed = [&](Error error) {
        (void)tree.sync();  // keep what was written; the error is what the user must see
        return error;
    };
    if (auto status = detail::run_record_writing_pass(records, pass, progress); !status)
        return failed(status.error());
    if (auto status = exporter.write_index(); !status) return failed(status.error());
    if (auto status = exporter.write_plists(); !status) return failed(status.error());
    progress.start("export: flushing to disk", 0);  // as extract's: its own phase on the display
    Status synced = tree.sync();
    progress.finish();
    if (!synced) return synced.error();
    return exporter.summary();
}

Result<ExportSummary> export_backup(const FileSystem& file_system, const Backup& backup,
                                    const ManifestIndex& index, const fs::path& out,
                                    const ExportOptions& options, FindingSink& sink)
{
    return export_backup(file_system, backup, IndexRecords(index), out, options, sink);
}

}  // namespace bkcheck
