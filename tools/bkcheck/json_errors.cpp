#include "json_errors.h"
#include "exit_codes.h"

#include "bkcheck/report.h"

#include <algorithm>
#include <ostream>
#include <streambuf>

namespace bkcheck::cli {
namespace {

// Passes everything on to `target`, counting (stdout) or keeping the text (stderr, bounded: only
// its last line matters).
class WatchingBuffer final : public std::streambuf {
public:
    explicit WatchingBuffer(std::streambuf* target) : m_target(target) {}
    std::uint64_t written() const { return m_written; }
    const std::string& text() const { return m_text; }

protected:
    int overflow(int c) override
    {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        char ch = traits_type::to_char_type(c);
        keep(&ch, 1);
        return m_target->sputc(ch);
    }
    std::streamsize xsputn(const char* data, std::streamsize count) override
    {
        keep(data, count);
        return m_target->sputn(data, count);
    }
    int sync() override { return m_target->pubsync(); }

private:
    static constexpr std::size_t k_kept_bytes = 64 * 1024;
    void keep(const char* data, std::streamsize count)
    {
        m_written += static_cast<std::uint64_t>(count);
        m_text.append(data, static_cast<std::size_t>(count));
        if (m_text.size() > k_kept_bytes) m_text.erase(0, m_text.size() - k_kept_bytes / 2);
    }
    std::streambuf* m_target;
    std::uint64_t m_written = 0;
    std::string m_text;
};

const char* exit_code_name(int code)
{
    switch (code) {
        case k_exit_problems:
            return "problems";
        case k_exit_usage:
            return "usage";
        case k_exit_not_a_backup:
            return "not_a_backup";
        case k_exit_wrong_password:
            return "wrong_password";
        case k_exit_io:
            return "io";
        case k_exit_unchecked:
            return "unchecked";
        case k_exit_interrupted:
            return "interrupted";
        default:
            return "internal";
    }
}

// The error as stderr said it: its last line that starts with "bkcheck", without that prefix
// ("bkcheck: " or "bkcheck <verb>: ").
std::string last_error_line(const std::string& text)
{
    std::string found;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (line.rfind("bkcheck", 0) == 0 && line.find(": ") != std::string::npos)
            found = line.substr(line.find(": ") + 2);
        start = end + 1;
    }
    return found;
}

}  // namespace

bool asks_for_json(const std::vector<std::string>& args)
{
    auto end = std::find(args.begin(), args.end(), "--");
    return std::find(args.begin(), end, "--json") != end;
}

int run_with_json_errors(int (*verb)(const std::vector<std::string>&, Context&),
                         const std::vector<std::string>& args, Context& context)
{
    WatchingBuffer out_watch(context.out.rdbuf());
    WatchingBuffer err_watch(context.err.rdbuf());
    std::ostream out(&out_watch);
    std::ostream err(&err_watch);
    Context json_context{out,
                         err,
                         context.environment,
                         context.out_is_terminal,
                         context.err_is_terminal,
                         context.no_color,
                         context.verbosity};
    int code = verb(args, json_context);
    out.flush();
    err.flush();
    if (code != k_exit_ok && out_watch.written() == 0) {
        context.out << render_error_json(exit_code_name(code), code,
                                         last_error_line(err_watch.text()));
    }
    return code;
}

}  // namespace bkcheck::cli
