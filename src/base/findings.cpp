#include "bkcheck/findings.h"

#include <algorithm>
#include <cassert>
#include <tuple>

namespace bkcheck {

const char* severity_name(Severity severity)
{
    switch (severity) {
        case Severity::Error:
            return "error";
        case Severity::Warning:
            return "warning";
        case Severity::Info:
            return "info";
    }
    return "error";
}

Finding make_finding(std::string_view code, std::string message, std::string file_id,
                     std::string domain, std::string path)
{
    const FindingKind& kind = finding_kind(code);
    Finding finding;
    finding.code = std::string(code);
    finding.severity = kind.severity;
    finding.file_id = std::move(file_id);
    finding.domain = std::move(domain);
    finding.path = std::move(path);
    finding.message = std::move(message);
    finding.remedy = std::string(kind.remedy);
    finding.fix = std::string(kind.fix);
    return finding;
}

namespace {

bool subject_before(const Finding& a, const Finding& b)
{
    return std::tie(a.file_id, a.path, a.domain, a.message) <
           std::tie(b.file_id, b.path, b.domain, b.message);
}

}  // namespace

void FindingSink::add(Finding finding)
{
    std::lock_guard lock(m_mutex);
    ++m_severity_totals[finding.severity];
    ++m_totals[finding.code];
    keep(std::move(finding));
}

void FindingSink::merge(FindingSink& other)
{
    assert(other.m_max_per_code >= m_max_per_code);
    std::scoped_lock lock(m_mutex, other.m_mutex);
    for (const auto& [severity, count] : other.m_severity_totals)
        m_severity_totals[severity] += count;
    for (const auto& [code, count] : other.m_totals) m_totals[code] += count;
    for (auto& [code, findings] : other.m_kept) {
        for (Finding& finding : findings) keep(std::move(finding));
    }
    other.m_severity_totals.clear();
    other.m_totals.clear();
    other.m_kept.clear();
}

bool FindingSink::count_if_dropped(std::string_view code, std::string_view file_id,
                                   std::string_view path, std::string_view domain)
{
    std::lock_guard lock(m_mutex);
    if (m_max_per_code != 0) {
        auto kept = m_kept.find(code);
        if (kept == m_kept.end() || kept->second.size() < m_max_per_code) return false;
        const Finding& last = kept->second.front();  // the last kept by subject_before
        int order = file_id.compare(last.file_id);
        if (order == 0) order = path.compare(last.path);
        if (order == 0) order = domain.compare(last.domain);
        if (order <= 0) return false;  // it may sort before `last`, by subject or by message
    }
    ++m_severity_totals[finding_kind(code).severity];
    auto total = m_totals.find(code);
    if (total == m_totals.end()) total = m_totals.emplace(std::string(code), 0).first;
    ++total->second;
    return true;
}

void FindingSink::keep(Finding finding)
{
    if (m_max_per_code == 0) return;
    auto& kept = m_kept[finding.code];
    if (kept.size() < m_max_per_code) {
        kept.push_back(std::move(finding));
        if (kept.size() == m_max_per_code) std::make_heap(kept.begin(), kept.end(), subject_before);
        return;
    }
    // Over the cap: keep the first by subject, whichever thread reported first. A full list is a
    // heap with the last by subject on top, so an index whose every row has the same finding (all
    // blobs gone) pays a comparison or two per row, not a scan of the list (8 % of such a verify).
    if (!subject_before(finding, kept.front())) return;
    std::pop_heap(kept.begin(), kept.end(), subject_before);
    kept.back() = std::move(finding);
    std::push_heap(kept.begin(), kept.end(), subject_before);
}

void FindingSink::amend(std::string_view code, const std::function<void(Finding&)>& change)
{
    std::lock_guard lock(m_mutex);
    auto it = m_kept.find(code);
    if (it == m_kept.end()) return;
    for (Finding& finding : it->second) change(finding);
    // The change may move a finding's subject: a full list must be a heap again.
    if (it->second.size() >= m_max_per_code)
        std::make_heap(it->second.begin(), it->second.end(), subject_before);
}

std::vector<Finding> FindingSink::kept() const
{
    std::lock_guard lock(m_mutex);
    std::vector<Finding> all;
    for (const auto& [code, findings] : m_kept) {
        std::size_t first = all.size();
        all.insert(all.end(), findings.begin(), findings.end());
        std::sort(all.begin() + static_cast<std::ptrdiff_t>(first), all.end(), subject_before);
    }
    return all;
}

std::size_t FindingSink::count(std::string_view code) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_totals.find(code);
    return it == m_totals.end() ? 0 : it->second;
}

std::size_t FindingSink::count(Severity severity) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_severity_totals.find(severity);
    return it == m_severity_totals.end() ? 0 : it->second;
}

std::map<std::string, std::size_t> FindingSink::totals() const
{
    std::lock_guard lock(m_mutex);
    return {m_totals.begin(), m_totals.end()};
}

}  // namespace bkcheck
