#include "blob_plaintext.h"
#include "bkcheck/findings.h"
#include "bkcheck/path_text.h"
#include "bytes.h"
#include "crypto.h"
#include "keybag.h"

#include <algorithm>

namespace bkcheck::detail {

Result<PlaintextOutcome> stream_plaintext(const FileSystem& file_system, const Backup& backup,
                                          const FileRecord& record, const ClassKeys* keys,
                                          PlaintextBuffers& buffers,
                                          const std::function<Status(ByteView)>& write,
                                          const std::atomic<bool>* cancel, FindingSink& sink,
                                          Progress& progress)
{
    PlaintextOutcome outcome;
    auto report = [&](std::string_view code, std::string message) {
        sink.add(make_finding(code, std::move(message), record.file_id, record.domain,
                              record.relative_path));
    };
    auto located =
        blob_relative_path(backup.format == BackupFormat::ManifestMbdb ? IndexFormat::ManifestMbdb
                                                                       : IndexFormat::ManifestDb,
                           record.file_id);
    if (!located) {  // the callers refuse such records first; never build a path from one
        report(finding_code::extract_unsafe_name,
               "the fileID is not 40 lowercase hex digits: its content cannot be located safely");
        outcome.damaged = true;
        return outcome;
    }
    const std::string& blob = *located;
    // Nothing is read through a link inside the backup (blob.link): a linked blob folder or blob
    // may lead into another backup or anywhere on the disk.
    std::string folder =
        fs::path(blob).has_parent_path() ? path_text(fs::path(blob).parent_path()) : "";
    if ((!folder.empty() && backup.is_link(folder)) || file_system.read_link(backup.path / blob)) {
        report(finding_code::blob_link,
               (folder.empty() || !backup.is_link(folder) ? blob : folder) +
                   " is a symbolic link: the content was not read (bkcheck does not read through "
                   "links "
                   "inside a backup)");
        outcome.damaged = true;
        return outcome;
    }
    bool decrypt = !record.encryption_key.empty();
    if (decrypt) {
        if (keys == nullptr) {
            report(finding_code::blob_key_unwrap_failed,
                   "the file is encrypted (its record has an EncryptionKey) and the backup was not "
                   "unlocked (no password given, or no keybag in Manifest.plist)");
            outcome.damaged = true;
            return outcome;
        }
        auto file_key = unwrap_class_wrapped_key(*keys, record.encryption_key);
        if (!file_key) {
            report(finding_code::blob_key_unwrap_failed, "the file's key cannot be unwrapped (" +
                                                             file_key.error().message +
                                                             "): it cannot be decrypted");
            outcome.damaged = true;
            return outcome;
        }
        buffers.decryptor.reset(file_key->view());
    }
    // A blob this user may not read is not damage (access.denied, as verify says): the caller
    // leaves it out and says so, never writes it as if it were the file.
    auto unreadable = [&](const Error& error) {
        if (is_permission_error(error)) {
            report(finding_code::access_denied, blob + ": " + error.message);
            outcome.denied = true;
        } else {
            report(finding_code::blob_unreadable, blob + ": " + error.message);
            outcome.damaged = true;
        }
    };
    auto reader = file_system.open_read(backup.path / blob);
    if (!reader) {
        if (reader.error().code == ErrorCode::NotFound) {
            report(finding_code::blob_missing,
                   "the file's content (" + blob + ") is not in the backup");
            outcome.damaged = true;
        } else {
            unreadable(reader.error());
        }
        return outcome;
    }
    std::uint64_t stored = 0;
    for (;;) {
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
            buffers.stored_hasher.finish();
            buffers.plaintext_hasher.finish();
            if (decrypt) buffers.decryptor.finish();
            return make_error(ErrorCode::Interrupted, path_text(backup.path), "interrupted");
        }
        auto count = (*reader)->read(buffers.read);
        if (!count) {
            unreadable(count.error());
            buffers.stored_hasher.finish();
            buffers.plaintext_hasher.finish();
            if (decrypt) buffers.decryptor.finish();
            return outcome;
        }
        if (*count == 0) break;
        ByteView chunk(buffers.read.data(), *count);
        stored += *count;
        buffers.stored_hasher.update(chunk);
        ByteView plain = chunk;
        if (decrypt) {
            buffers.decryptor.update(chunk, buffers.plaintext);
            plain = buffers.plaintext;
        }
        buffers.plaintext_hasher.update(plain);
        outcome.plaintext_size += plain.size();
        outcome.written = true;
        if (auto status = write(plain); !status) {
            buffers.stored_hasher.finish();
            buffers.plaintext_hasher.finish();
            if (decrypt) buffers.decryptor.finish();
            return status.error();
        }
        progress.advance(*count);
    }
    if (decrypt) {
        CbcDecryptor::Final final = buffers.decryptor.finish();
        if (final.padding == PaddingStatus::Invalid) {
            // Nothing of the held-back last block is written: the padding cannot say where it ends.
            report(finding_code::blob_padding_invalid,
                   "the content does not decrypt to valid data (bad padding): it is "
                   "damaged or truncated");
            outcome.damaged = true;
        } else {
            buffers.plaintext_hasher.update(final.tail);
            outcome.plaintext_size += final.tail.size();
            outcome.written = true;
            if (auto status = write(final.tail); !status) {
                buffers.stored_hasher.finish();
                buffers.plaintext_hasher.finish();
                return status.error();
            }
            if (final.plaintext_size != record.size) {
                outcome.stale_size = true;
                report(finding_code::blob_size_changed,
                       "the content decrypts correctly to " + std::to_string(final.plaintext_size) +
                           " bytes, not the " + std::to_string(record.size) +
                           " recorded (the file changed while the backup ran): all " +
                           std::to_string(final.plaintext_size) + " were written");
            }
        }
    } else if (stored != record.size) {
        report(finding_code::blob_size_mismatch, "the content is " + std::to_string(stored) +
                                                     " bytes, the index says " +
                                                     std::to_string(record.size));
        outcome.damaged = true;
    }
    Sha1Digest digest = buffers.stored_hasher.finish();
    outcome.plaintext_sha1 = buffers.plaintext_hasher.finish();
    // The Digest is the SHA-1 of the blob as stored: ciphertext in encrypted backups (§11).
    const Bytes& recorded = record.digest;
    if (recorded.size() == digest.size() &&
        !std::equal(digest.begin(), digest.end(), recorded.begin())) {
        report(finding_code::blob_digest_mismatch, "the content's SHA-1 is " + to_hex(digest) +
                                                       ", the index says " + to_hex(recorded) +
                                                       ": the content is damaged");
        outcome.damaged = true;
    }
    return outcome;
}

}  // namespace bkcheck::detail
