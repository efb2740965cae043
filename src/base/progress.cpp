#include "bkcheck/status.h"

namespace bkcheck {
namespace {

class NullProgress final : public Progress {
public:
    void start(std::string_view, std::uint64_t) override {}
    void advance(std::uint64_t) override {}
    void finish() override {}
};

}  // namespace

Progress& null_progress()
{
    static NullProgress instance;
    return instance;
}

}  // namespace bkcheck
