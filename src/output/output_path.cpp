// Output naming rules behind extract and export (output_path.h); the writer is in src/os
// (posix_output_tree.cpp).
#include "output_path.h"

#include "backup_folder.h"
#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"
#include "resolved_path.h"
#include "text.h"

#include <algorithm>

namespace bkcheck {
namespace {

constexpr std::size_t k_max_component_bytes = 255;

std::string component_problem(std::string_view part)
{
    if (part.empty()) return "an empty path component (\"//\" or a trailing \"/\")";
    if (part == "." || part == "..") return "a \"" + std::string(part) + "\" component";
    if (part.size() > k_max_component_bytes) return "a component longer than 255 bytes";
    return "";
}

}  // namespace

std::string file_id_problem(std::string_view file_id)
{
    if (file_id.size() != 40)
        return "the fileID is " + std::to_string(file_id.size()) + " characters, not 40";
    for (char c : file_id) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return "the fileID is not 40 lowercase hex digits";
    }
    return "";
}

std::string output_name_problem(std::string_view domain, std::string_view relative_path)
{
    if (domain.find('\0') != std::string_view::npos ||
        relative_path.find('\0') != std::string_view::npos) {
        return "the name holds a NUL byte";
    }
    if (domain.find('/') != std::string_view::npos) return "the domain holds a \"/\"";
    if (std::string problem = component_problem(domain); !problem.empty())
        return "the domain is " + problem;
    if (relative_path.empty()) return "";
    if (relative_path.front() == '/') return "the path is absolute";
    for (std::string_view part : split_path(relative_path)) {
        if (std::string problem = component_problem(part); !problem.empty())
            return "the path has " + problem;
    }
    return "";
}

std::vector<std::string> output_components(std::string_view domain, std::string_view relative_path)
{
    std::vector<std::string> components{std::string(domain)};
    if (relative_path.empty()) return components;
    for (std::string_view part : split_path(relative_path)) components.emplace_back(part);
    return components;
}

bool symlink_target_stays_inside(const std::vector<std::string>& link_components,
                                 std::string_view target)
{
    if (target.empty() || target.front() == '/' || target.find('\0') != std::string_view::npos)
        return false;
    std::size_t depth =
        link_components.empty() ? 0 : link_components.size() - 1;  // folders above the link
    bool climbing = true;
    for (std::string_view part : split_path(target)) {
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (!climbing || depth == 0) return false;
            --depth;
        } else {
            climbing = false;
        }
    }
    return true;
}

Status check_output_outside_backup(const FileSystem& file_system, const fs::path& out,
                                   const fs::path& backup_dir)
{
    std::error_code error;
    fs::path backup = weakly_canonical_path(backup_dir, error);
    if (error) return Ok{};  // the backup was just read: a failure here leaves nothing to compare
    fs::path target = weakly_canonical_path(out, error);
    if (error) return error_from_errno(error.value(), out, "cannot resolve the output folder");
    auto [mismatch, rest] =
        std::mismatch(backup.begin(), backup.end(), target.begin(), target.end());
    // A trailing "/" makes an empty last element in std::filesystem paths.
    if (mismatch == backup.end() || (std::next(mismatch) == backup.end() && mismatch->empty())) {
        return make_error(
            ErrorCode::InvalidArgument, path_text(out),
            "the output folder is inside the backup; bkcheck never writes into a backup");
    }
    (void)rest;
    auto holder = backup_holding(file_system, out);
    if (!holder) return holder.error();
    if (*holder) {
        return make_error(ErrorCode::InvalidArgument, path_text(out),
                          "the output folder is inside the backup " + path_text(**holder) +
                              "; bkcheck never writes into a backup");
    }
    return Ok{};
}

}  // namespace bkcheck
