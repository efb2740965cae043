#include "terminal_progress.h"

#include "bkcheck/report.h"
#include "text_format.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace bkcheck::cli {
namespace {

// "7s", "2m05s", "1h02m": coarse, as an estimate should be.
std::string duration_text(double seconds)
{
    auto total = static_cast<std::uint64_t>(seconds + 0.5);
    char text[32];
    if (total < 60) {
        std::snprintf(text, sizeof text, "%us", static_cast<unsigned>(total));
    } else if (total < 3600) {
        std::snprintf(text, sizeof text, "%um%02us", static_cast<unsigned>(total / 60),
                      static_cast<unsigned>(total % 60));
    } else {
        std::snprintf(text, sizeof text, "%uh%02um", static_cast<unsigned>(total / 3600),
                      static_cast<unsigned>(total / 60 % 60));
    }
    return text;
}

}  // namespace

void TerminalProgress::start(std::string_view phase, std::uint64_t total)
{
    std::lock_guard lock(m_mutex);
    m_phase = phase;
    m_total = total;
    m_done = 0;
    m_started = std::chrono::steady_clock::now();
    // A phase with no total has no bar to draw: its name alone says what is being waited for
    // (extract flushing to disk after the last byte was written).
    m_named_only = total == 0;
    if (m_named_only) m_err << "\r\033[K" << m_phase << "..." << std::flush;
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
    // The last advance may have come within the redraw interval of the one drawn (trial: 98% just
    // before "flushing to disk..."): the phase's end is drawn as it is, then erased.
    if (m_total > 0) draw(true);
    if (m_total > 0 || m_named_only) m_err << "\r\033[K" << std::flush;  // erase the line
    m_named_only = false;
}

void TerminalProgress::draw(bool force)
{
    auto now = std::chrono::steady_clock::now();
    if (!force && now - m_last_draw < std::chrono::milliseconds(160)) return;
    m_last_draw = now;
    if (m_total == 0) return;
    std::uint64_t done = std::min(m_done.load(), m_total);
    double seconds = std::chrono::duration<double>(now - m_started).count();
    unsigned percent =
        static_cast<unsigned>(100.0 * static_cast<double>(done) / static_cast<double>(m_total));
    m_err << "\r\033[K" << m_phase << ": " << percent << "% (" << human_bytes(done) << " of "
          << human_bytes(m_total);
    // The first quarter second's rate is mostly start-up (threads, the index, a cold cache): not
    // shown.
    if (seconds > 0.25 && done > 0) {
        double rate = static_cast<double>(done) / seconds;
        m_err << ", " << human_bytes(static_cast<std::uint64_t>(rate)) << "/s, ETA "
              << duration_text(static_cast<double>(m_total - done) / rate);
    }
    m_err << ")" << std::flush;
}

Progress& chosen_progress(TerminalProgress& terminal, bool err_is_terminal, bool json_output)
{
    if (err_is_terminal && !json_output) return terminal;
    return null_progress();
}

}  // namespace bkcheck::cli
