#include "bkcheck/findings.h"

#include <cassert>

namespace bkcheck {

const char* severity_name(Severity severity)
{
    switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
    }
    return "error";
}

Finding make_finding(std::string_view code, std::string message, std::string file_id, std::string domain,
                     std::string path)
{
    const FindingKind& kind = finding_kind(code);
    return Finding{std::string(code), kind.severity, std::move(file_id), std::move(domain), std::move(path),
                   std::move(message), std::string(kind.remedy)};
}

void FindingSink::add(Finding finding)
{
    std::lock_guard lock(m_mutex);
    ++m_severity_totals[finding.severity];
    auto& total = m_totals[finding.code];
    ++total;
    if (total <= m_max_per_code) m_kept.push_back(std::move(finding));
}

std::vector<Finding> FindingSink::kept() const
{
    std::lock_guard lock(m_mutex);
    return m_kept;
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
