// How long operations report progress without knowing about terminals (restic's Printer/Counter).
// The CLI implements it with a rate-limited line on a TTY; tests and libraries pass
// null_progress().
#pragma once

#include <cstdint>
#include <string_view>

namespace bkcheck {

class Progress {
public:
    virtual ~Progress() = default;
    // A phase begins; `total` is in the phase's unit (bytes when reading blobs), 0 when unknown.
    virtual void start(std::string_view phase, std::uint64_t total) = 0;
    // `amount` more units are done. May be called from several threads at once.
    virtual void advance(std::uint64_t amount) = 0;
    virtual void finish() = 0;
};

// A Progress that ignores everything.
Progress& null_progress();

}  // namespace bkcheck
