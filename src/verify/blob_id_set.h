// A set of BlobIds in one flat table (open addressing, linear probing, at most 3/4 full): what
// verify keeps of the fileIDs that name no blob, to tell the second row with one of them. An index
// whose blobs are all gone puts every row here, so an insert must cost a probe or two, not a node
// allocation: 28 to 56 bytes per id (an std::unordered_set node took about 56), one byte per slot
// saying whether it is used. Reserved from the index's row count, the table is made once: growing
// it holds the old and the new table at once (300,000 ids peaked at 32 MB that way, 11 MB
// reserved).
#pragma once

#include "verify_steps.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace bkcheck::detail {

class BlobIdSet {
public:
    // Room for `count` ids before the table grows.
    void reserve(std::size_t count)
    {
        std::size_t slots = 16;
        while (!holds(slots, count)) slots *= 2;
        if (slots > m_ids.size()) rehash(slots);
    }

    // True when `id` was not in the set yet.
    bool insert(const BlobId& id)
    {
        if (!holds(m_ids.size(), m_size + 1)) rehash(m_ids.empty() ? 1024 : 2 * m_ids.size());
        std::size_t mask = m_ids.size() - 1;
        for (std::size_t slot = BlobIdHash{}(id)&mask;; slot = (slot + 1) & mask) {
            if (!m_used[slot]) {
                m_used[slot] = 1;
                m_ids[slot] = id;
                ++m_size;
                return true;
            }
            if (blob_id_equal(m_ids[slot], id)) return false;
        }
    }

    std::size_t size() const { return m_size; }

    // Starts loading the slot where a lookup of `id` begins (prefetch_address): the table of an
    // index whose blobs are all gone is megabytes, and each insert missed the cache (7 % of the
    // CPU of the thread every row goes through).
    void prefetch(const BlobId& id) const
    {
        if (m_ids.empty()) return;
        std::size_t slot = BlobIdHash{}(id) & (m_ids.size() - 1);
        prefetch_address(&m_ids[slot]);
        prefetch_address(&m_used[slot]);
    }

private:
    // At most 3/4 full: SHA-1 ids spread evenly, so probe runs stay short (1.5 probes per hit, 8.5
    // per miss at the worst, by Knuth's formulas for linear probing).
    static bool holds(std::size_t slots, std::size_t count) { return 4 * count <= 3 * slots; }

    void rehash(std::size_t slots)
    {
        std::vector<BlobId> ids(slots);
        std::vector<std::uint8_t> used(slots, 0);
        std::swap(ids, m_ids);
        std::swap(used, m_used);
        m_size = 0;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (used[i]) insert(ids[i]);
        }
    }

    std::vector<BlobId> m_ids;         // a power of two of slots
    std::vector<std::uint8_t> m_used;  // per slot: 1 when it holds an id
    std::size_t m_size = 0;
};

}  // namespace bkcheck::detail
