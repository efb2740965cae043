#include "bkcheck/unlock.h"
#include "keybag.h"
#include "keybag_hash_line.h"

#include "backup_keybag.h"
#include "bkcheck/path_text.h"

namespace bkcheck {

Result<Keybag> backup_keybag(const Backup& backup)
{
    std::string manifest = path_text(backup.path / "Manifest.plist");
    // One this user may not read says nothing of the keybag: the permission error (exit 5), not
    // damage.
    if (backup.manifest.denied) {
        return make_error(
            ErrorCode::Io, manifest,
            "whether the backup is encrypted is not known without it: " + backup.manifest.problem);
    }
    if (!backup.manifest.ok()) {
        return make_error(ErrorCode::Corrupt, manifest,
                          "cannot unlock: Manifest.plist is " +
                              std::string(backup.manifest.state == PartState::Missing
                                              ? "missing"
                                              : "unreadable: " + backup.manifest.problem));
    }
    if (backup.manifest.value.keybag.empty()) {
        return make_error(ErrorCode::Corrupt, manifest, "cannot unlock: it has no BackupKeyBag");
    }
    auto keybag = parse_keybag(backup.manifest.value.keybag);
    if (!keybag)
        return make_error(ErrorCode::Corrupt, manifest, "BackupKeyBag: " + keybag.error().message);
    return keybag;
}

Result<std::string> backup_hash_line(const Backup& backup)
{
    // Unencrypted backups may carry a keybag too (restore tools copy one in): not a password's.
    if (backup.manifest.ok() && !backup.encrypted) {
        return make_error(ErrorCode::Unsupported, path_text(backup.path / "Manifest.plist"),
                          "the backup is not encrypted: it has no password to recover");
    }
    auto keybag = backup_keybag(backup);
    if (!keybag) return std::move(keybag).error();
    auto line = keybag_hash_line(*keybag);
    if (!line) {
        return make_error(ErrorCode::Corrupt, path_text(backup.path / "Manifest.plist"),
                          line.error().message);
    }
    return line;
}

namespace {

UnlockedKeys unlocked(SecretBytes passcode_key, ClassKeys class_keys)
{
    std::size_t count = class_keys.keys.size();
    return UnlockedKeys{std::move(passcode_key),
                        std::make_shared<const ClassKeys>(std::move(class_keys)), count};
}

}  // namespace

Result<UnlockedKeys> unlock_with_passcode_key(const Backup& backup, SecretBytes passcode_key)
{
    auto keybag = backup_keybag(backup);
    if (!keybag) return std::move(keybag).error();
    auto keys = unlock_keybag(*keybag, passcode_key);
    if (!keys) return std::move(keys).error();
    return unlocked(std::move(passcode_key), std::move(*keys));
}

Result<UnlockedKeys> unlock_with_password(const Backup& backup, std::string_view password,
                                          const std::atomic<bool>* cancel)
{
    auto keybag = backup_keybag(backup);
    if (!keybag) return std::move(keybag).error();
    auto passcode_key = derive_passcode_key(*keybag, password, cancel);
    if (!passcode_key) return std::move(passcode_key).error();
    auto keys = unlock_keybag(*keybag, *passcode_key);
    if (!keys) return std::move(keys).error();
    return unlocked(std::move(*passcode_key), std::move(*keys));
}

}  // namespace bkcheck
