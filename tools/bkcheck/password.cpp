#include "password.h"
#include "bytes.h"
#include "environment_variable.h"

#include "interrupt.h"
#include "terminal_prompt.h"

#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"
#include "bkcheck/report.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ostream>

namespace bkcheck::cli {

// The unlocking function for `backup` from the credential named, or the prompt.
Result<std::function<Result<UnlockedKeys>()>> prepare_unlock(const po::variables_map& values,
                                                             const Backup& backup,
                                                             Context& context);

namespace {

constexpr std::uint64_t k_max_secret_file_bytes = 64 * 1024;

// The first line of a password or key file, in UTF-8 whatever the editor saved it as (a BOM,
// UTF-16: text_file_as_utf8), so a password saved by Notepad or PowerShell is the password typed.
std::string first_line(const Bytes& bytes)
{
    std::string text = text_file_as_utf8(bytes);
    std::size_t end = text.find_first_of("\r\n");
    return end == std::string::npos ? text : text.substr(0, end);
}

// A wrong password typed at the prompt may be typed again, as sudo allows; never one from a file or
// the environment, which would only fail the same way.
constexpr int k_prompt_tries = 3;

std::string prompt_for(const Backup& backup)
{
    // The prompt goes to the terminal itself: the device name from Info.plist is escaped like all
    // output.
    return "Password for the encrypted backup of " + terminal_safe(backup.device_name()) + ": ";
}

Error interrupted_at_prompt(const Backup& backup)
{
    return make_error(ErrorCode::Interrupted, path_text(backup.path),
                      "interrupted at the password prompt; nothing was checked");
}

struct ObtainedPassword {
    std::string text;
    bool typed = false;  // at the prompt, so a wrong one may be typed again
};

Result<ObtainedPassword> obtain_password(const po::variables_map& values, Context& context,
                                         const Backup& backup)
{
    if (values.count("password-file")) {
        auto bytes = real_file_system().read_file(values["password-file"].as<std::string>(),
                                                  k_max_secret_file_bytes);
        if (!bytes) return std::move(bytes).error();
        return ObtainedPassword{first_line(*bytes), false};
    }
    if (values.count("password")) {
        context.err << "bkcheck: warning: a password on the command line can be seen by other "
                       "users of this "
                       "machine; prefer --password-file, BKCHECK_PASSWORD or the prompt\n";
        return ObtainedPassword{values["password"].as<std::string>(), false};
    }
    if (auto from_environment = environment_variable("BKCHECK_PASSWORD"))
        return ObtainedPassword{std::move(*from_environment), false};
    TerminalAnswer typed = ask_terminal_without_echo(prompt_for(backup));
    if (typed.outcome == TerminalAnswer::Outcome::Answered)
        return ObtainedPassword{std::move(typed.line), true};
    if (typed.outcome == TerminalAnswer::Outcome::Interrupted) return interrupted_at_prompt(backup);
    return make_error(
        ErrorCode::InvalidArgument, path_text(backup.path),
        "this backup is encrypted: give its password with --password-file FILE or the "
        "BKCHECK_PASSWORD environment variable, or run bkcheck on a terminal to be asked");
}

}  // namespace

void add_credential_options(po::options_description& options)
{
    options.add_options()("password-file", po::value<std::string>(),
                          "read the backup password from the first line of FILE")(
        "password", po::value<std::string>(),
        "the backup password (visible to other users: prefer the others)")(
        "key-file", po::value<std::string>(),
        "use a key saved by 'bkcheck unlock --save-key' (no slow derivation)");
}

bool credentials_given(const po::variables_map& values)
{
    return values.count("password-file") || values.count("password") || values.count("key-file") ||
           environment_variable("BKCHECK_PASSWORD").has_value();
}

Result<BackupUnlocker> unlocker_for_each_backup(const po::variables_map& values, Context& context,
                                                UnlockedBackups& unlocked)
{
    if (!credentials_given(values)) return BackupUnlocker{};
    // The same precedence as prepare_unlock: a key file, when named, is the one used.
    if (values.count("key-file")) {
        BK_TRY(load_key_file(values["key-file"].as<std::string>()));
    } else if (values.count("password-file")) {
        auto secret = real_file_system().read_file(values["password-file"].as<std::string>(),
                                                   k_max_secret_file_bytes);
        if (!secret) return std::move(secret).error();
        SecretBytes wiped_when_done(std::move(*secret));  // only its readability was wanted here
    }
    return BackupUnlocker(
        [&values, &context, &unlocked](const Backup& backup) -> Result<const ClassKeys*> {
            auto unlock = prepare_unlock(values, backup, context);
            if (!unlock) return unlock.error();
            auto& keys = unlocked.insert_or_assign(backup.path, (*unlock)()).first->second;
            if (!keys) return keys.error();
            return keys->class_keys.get();
        });
}

Result<std::optional<std::function<Result<UnlockedKeys>()>>> unlock_if_needed(
    const po::variables_map& values, const Backup& backup, KeyNeed need, Context& context)
{
    using Unlock = std::optional<std::function<Result<UnlockedKeys>()>>;
    bool protects = backup.encrypted && (need.reads_blobs || need.required ||
                                         backup.format == BackupFormat::ManifestDb);
    if (!protects || values.count("no-password")) return Unlock{};
    // Required and nobody to ask: prepare_unlock says how to give the password (a usage error).
    if (!credentials_given(values) && !context.err_is_terminal && !need.required) return Unlock{};
    auto unlock = prepare_unlock(values, backup, context);
    if (!unlock) return std::move(unlock).error();
    return Unlock{std::move(*unlock)};
}

Result<std::function<Result<UnlockedKeys>()>> prepare_unlock(const po::variables_map& values,
                                                             const Backup& backup, Context& context)
{
    using Unlock = std::function<Result<UnlockedKeys>()>;
    if (values.count("key-file")) {
        fs::path file = values["key-file"].as<std::string>();
        auto key = load_key_file(file);
        if (!key) return std::move(key).error();
        return Unlock([&backup, file, key = std::move(*key)]() -> Result<UnlockedKeys> {
            auto keys = unlock_with_passcode_key(backup, key);
            if (!keys && keys.error().code == ErrorCode::WrongPassword) {
                return make_error(
                    ErrorCode::WrongPassword, path_text(file),
                    "this key does not unlock the backup " + path_text(backup.path) +
                        " (it was saved for another backup, or the backup's password has changed "
                        "since): save it again with 'bkcheck unlock --save-key'");
            }
            return keys;
        });
    }
    auto password = obtain_password(values, context, backup);
    if (!password) return std::move(password).error();
    // Ctrl-C reaches the derivation (seconds, or minutes for the largest keybags accepted): it
    // stops within a few thousand rounds with Interrupted (exit 130), and no verb prints a result
    // after it.
    return Unlock([&backup, typed = password->typed,
                   secret = SecretBytes(as_bytes(password->text))]() mutable {
        for (int attempt = 1;; ++attempt) {
            auto view = secret.view();
            auto keys = unlock_with_password(
                backup, std::string_view(reinterpret_cast<const char*>(view.data()), view.size()),
                &interrupt_flag());
            if (keys || !typed || keys.error().code != ErrorCode::WrongPassword ||
                attempt == k_prompt_tries)
                return keys;
            tell_terminal("Sorry, that password does not unlock this backup; try again.\n");
            TerminalAnswer again = ask_terminal_without_echo(prompt_for(backup));
            if (again.outcome != TerminalAnswer::Outcome::Answered)
                return Result<UnlockedKeys>(interrupted_at_prompt(backup));
            secret = SecretBytes(as_bytes(again.line));
        }
    });
}

bool looks_like_key_file(ByteView head, std::uint64_t size)
{
    if (size != 65 || head.size() != 65 || head[64] != '\n') return false;
    return std::all_of(head.begin(), head.begin() + 64,
                       [](std::uint8_t c) { return std::isxdigit(c) != 0; });
}

OutputFileOptions key_file_options(bool overwrite)
{
    return OutputFileOptions{FileAccess::OwnerOnly, overwrite, looks_like_key_file};
}

Status save_key_file(const fs::path& file, const SecretBytes& key, bool overwrite)
{
    std::string text = to_hex(key.view()) + "\n";
    return real_writable_file_system().write_output_file(file, as_bytes(text),
                                                         key_file_options(overwrite));
}

Result<SecretBytes> load_key_file(const fs::path& file)
{
    auto bytes = real_file_system().read_file(file, k_max_secret_file_bytes);
    if (!bytes) return std::move(bytes).error();
    auto key = from_hex(first_line(*bytes));
    if (!key || key->size() != 32) {
        return make_error(
            ErrorCode::InvalidArgument, path_text(file),
            "not a key file: expected 64 hex digits, as 'bkcheck unlock --save-key' writes");
    }
    return SecretBytes(std::move(*key));
}

}  // namespace bkcheck::cli
