// Fuzzes the Manifest.db readers through the in-memory path (the one decrypted indexes take): the
// record pass verify runs (read_manifest_db_image) and the salvage repair runs
// (salvage_manifest_rows). Any bytes must give an answer or a clean error, never a crash or a hang.
// Invariant (repair's rebuild): whatever rows salvage returns, build_manifest_db_image either
// refuses them with an error or lays out an image that salvages back to exactly those rows with no
// problem, and that the verify reader finds clean (Apple's schema, integrity ok, every row
// accounted).
#include "manifest_db.h"
#include "manifest_db_builder.h"

#include <cstdint>
#include <cstdlib>

namespace {

bool same_rows(const std::vector<bkcheck::ManifestRow>& a,
               const std::vector<bkcheck::ManifestRow>& b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].file_id != b[i].file_id || a[i].domain != b[i].domain ||
            a[i].relative_path != b[i].relative_path || a[i].flags != b[i].flags ||
            a[i].file != b[i].file) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 20)) return 0;
    bkcheck::Bytes input(data, data + size);
    (void)bkcheck::read_manifest_db_image(input, "fuzz");
    auto salvaged = bkcheck::salvage_manifest_rows(std::move(input), "fuzz");
    if (!salvaged) return 0;
    auto image = bkcheck::build_manifest_db_image(salvaged->rows);
    if (!image) return 0;  // e.g. two rows with one fileID: refused, not written
    auto again = bkcheck::salvage_manifest_rows(*image, "rebuilt");
    if (!again || !again->problems.empty() || !same_rows(again->rows, salvaged->rows)) std::abort();
    auto index = bkcheck::read_manifest_db_image(std::move(*image), "rebuilt");
    if (!index || !index->index_problems.empty() ||
        index->records.size() + index->unreadable.size() != salvaged->rows.size()) {
        std::abort();
    }
    return 0;
}
