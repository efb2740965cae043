#include "evidence.h"

#include <algorithm>
#include <tuple>

namespace bkcheck {

void EvidenceRecorder::add(EvidenceEntry entry)
{
    std::sort(entry.codes.begin(), entry.codes.end());
    entry.codes.erase(std::unique(entry.codes.begin(), entry.codes.end()), entry.codes.end());
    std::lock_guard lock(m_mutex);
    m_entries.push_back(std::move(entry));
}

std::vector<EvidenceEntry> EvidenceRecorder::take()
{
    std::vector<EvidenceEntry> entries;
    {
        std::lock_guard lock(m_mutex);
        entries.swap(m_entries);
    }
    std::sort(entries.begin(), entries.end(), [](const EvidenceEntry& a, const EvidenceEntry& b) {
        return std::tie(a.domain, a.path, a.file_id) < std::tie(b.domain, b.path, b.file_id);
    });
    return entries;
}

}  // namespace bkcheck
