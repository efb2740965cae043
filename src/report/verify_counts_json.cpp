#include "verify_counts_json.h"

namespace bkcheck {

void write_verify_counts_json(JsonWriter& json, const VerifyCounts& counts)
{
    json.begin_object();
    json.key("records").unsigned_number(counts.records);
    json.key("files").unsigned_number(counts.files);
    json.key("directories").unsigned_number(counts.directories);
    json.key("symlinks").unsigned_number(counts.symlinks);
    json.key("blobs_checked").unsigned_number(counts.blobs_checked);
    json.key("blobs_read").unsigned_number(counts.blobs_read);
    json.key("bytes_read").unsigned_number(counts.bytes_read);
    json.key("blobs_decrypted").unsigned_number(counts.blobs_decrypted);
    json.key("blobs_decoded").unsigned_number(counts.blobs_decoded);
    // Only --deep looks into content: without it, no file of a known type was left out.
    if (counts.deep) {
        const VerifyCounts::NotDecoded& not_decoded = counts.not_decoded;
        json.key("not_decoded").begin_object();
        json.key("plist_too_large").unsigned_number(not_decoded.plist_too_large);
        json.key("plist_beyond_bounds").unsigned_number(not_decoded.plist_beyond_bounds);
        json.key("sqlite_needs_app").unsigned_number(not_decoded.sqlite_needs_app);
        json.end_object();
    }
    json.key("blobs_found").unsigned_number(counts.blobs_found);
    json.key("index_examined").boolean(counts.index_examined);
    json.key("levels").begin_object();
    json.key("digest").unsigned_number(counts.levels.digest);
    json.key("content").unsigned_number(counts.levels.content);
    json.key("length").unsigned_number(counts.levels.length);
    json.key("present").unsigned_number(counts.levels.present);
    json.key("not_checked").unsigned_number(counts.levels.not_checked);
    json.key("damaged").unsigned_number(counts.levels.damaged);
    json.end_object();
    json.end_object();
}

}  // namespace bkcheck
