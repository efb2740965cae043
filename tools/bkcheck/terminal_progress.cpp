#include "terminal_progress.h"

#include "text_format.h"

#include <ostream>

namespace bkcheck::cli {

void TerminalProgress::start(std::string_view phase, std::uint64_t total)
{
    std::lock_guard lock(m_mutex);
    m_phase = phase;
    m_total = total;
    m_done = 0;
    m_started = std::chrono::steady_clock::now();
}

void TerminalProgress::advance(std::uint64_t amount)
{
    m_done.fetch_add(amount, std::memory_order_relaxed);
    // try_lock: a worker thread never waits for the terminal.
    std::unique_lock lock(m_mutex, std::try_to_lock);
    if (lock.owns_lock()) draw(false);
}

void TerminalProgress::finish()
{
    std::lock_guard lock(m_mutex);
    if (m_total > 0) m_err << "\r\033[K" << std::flush;  // erase the line
}

void TerminalProgress::draw(bool force)
{
    auto now = std::chrono::steady_clock::now();
    if (!force && now - m_last_draw < std::chrono::milliseconds(160)) return;
    m_last_draw = now;
    if (m_total == 0) return;
    std::uint64_t done = m_done.load();
    double seconds = std::chrono::duration<double>(now - m_started).count();
    unsigned percent = static_cast<unsigned>(100.0 * static_cast<double>(done) / static_cast<double>(m_total));
    m_err << "\r\033[K" << m_phase << ": " << percent << "% (" << human_bytes(done) << " of " << human_bytes(m_total);
    if (seconds > 0.5) m_err << ", " << human_bytes(static_cast<std::uint64_t>(static_cast<double>(done) / seconds)) << "/s";
    m_err << ")" << std::flush;
}

}  // namespace bkcheck::cli
