// A progress line on a terminal: overprinted at most ~6 times a second (zstd's REFRESH_RATE), on
// stderr, and only when stderr is a TTY; otherwise verify prints no progress at all.
#pragma once

#include "bkcheck/status.h"

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <mutex>
#include <string>

namespace bkcheck::cli {

class TerminalProgress final : public Progress {
public:
    explicit TerminalProgress(std::ostream& err) : m_err(err) {}

    void start(std::string_view phase, std::uint64_t total) override;
    void advance(std::uint64_t amount) override;
    void finish() override;

private:
    void draw(bool force);

    std::ostream& m_err;
    std::mutex m_mutex;
    std::string m_phase;
    std::uint64_t m_total = 0;
    bool m_named_only = false;  // the phase's name is shown, without a bar
    std::atomic<std::uint64_t> m_done{0};
    std::chrono::steady_clock::time_point m_last_draw{};
    std::chrono::steady_clock::time_point m_started{};
};

// What a verb reports progress to: `terminal` when stderr is a terminal and the output is text;
// otherwise nothing (a pipe, a log or a JSON reader gets no progress lines).
Progress& chosen_progress(TerminalProgress& terminal, bool err_is_terminal, bool json_output);

}  // namespace bkcheck::cli
