// verify --deep, property lists (XML and binary): parsed within the bounds every plist bkcheck
// reads keeps (plist.h), and in an NSKeyedArchiver archive every UID followed: it must name an
// object of $objects, or the app that unarchives it fails.
#include "content_check.h"

#include <algorithm>

#include "bkcheck/findings.h"
#include "bkcheck/path_text.h"
#include "plist.h"

#include <string>
#include <vector>

namespace bkcheck::detail {
namespace {

// Every UID in the tree under `root`, walked without recursion (plist.h bounds the depth, but a
// stack of nodes costs nothing), must be below `objects`. The first that is not, as a message.
std::string first_dangling_uid(PlistNode root, std::uint64_t objects)
{
    std::vector<PlistNode> pending{root};
    while (!pending.empty()) {
        PlistNode node = pending.back();
        pending.pop_back();
        switch (node.type()) {
            case PlistType::Uid: {
                std::uint64_t uid = node.uid().value_or(0);
                if (uid >= objects) {
                    return "an archived object refers to object " + std::to_string(uid) + " of " +
                           std::to_string(objects);
                }
                break;
            }
            case PlistType::Array:
                for (std::size_t i = 0; i < node.size(); ++i) pending.push_back(node.at(i));
                break;
            case PlistType::Dict: {
                // XML archives write a UID as <dict><key>CF$UID</key><integer>N</integer></dict>.
                auto items = node.items();
                if (items.size() == 1 && items[0].first == "CF$UID") {
                    std::int64_t uid = items[0].second.integer().value_or(-1);
                    if (uid < 0 || static_cast<std::uint64_t>(uid) >= objects) {
                        return "an archived object refers to object " + std::to_string(uid) +
                               " of " + std::to_string(objects);
                    }
                    break;
                }
                for (auto& [key, value] : items) pending.push_back(value);
                break;
            }
            default:
                break;
        }
    }
    return {};
}

}  // namespace

ContentOutcome check_plist(ContentReader& reader)
{
    // libplist needs the whole document; larger ones than any app's settings stay unchecked
    // rather than cost memory.
    if (reader.size() > k_deep_plist_max_bytes)
        return ContentOutcome::unchecked(NotDecoded::PlistTooLarge);
    Bytes bytes(static_cast<std::size_t>(reader.size()));
    if (!reader.read(0, bytes.data(), bytes.size())) return read_failure();
    // A UTF-8 byte order mark before an XML plist is read by Apple's parser; libplist refuses it.
    static constexpr std::uint8_t k_bom[] = {0xEF, 0xBB, 0xBF};
    if (bytes.size() >= 3 && std::equal(k_bom, k_bom + 3, bytes.begin()))
        bytes.erase(bytes.begin(), bytes.begin() + 3);
    auto document = PlistDocument::parse(bytes, "");
    // A plist beyond bkcheck's own bounds (nesting, values: plist.h) may well be sound: not
    // checked, never called damaged.
    if (!document && document.error().message.find("bkcheck's limit") != std::string::npos)
        return ContentOutcome::unchecked(NotDecoded::PlistBeyondBounds);
    if (!document) {
        return ContentOutcome::damaged(
            finding_code::content_plist_unreadable,
            "the property list cannot be read: " + document.error().message);
    }
    PlistNode root = document->root();
    if (root["$archiver"].string_value() != std::optional<std::string>("NSKeyedArchiver"))
        return ContentOutcome::sound();
    PlistNode objects = root["$objects"];
    if (objects.type() != PlistType::Array || root["$top"].type() != PlistType::Dict) {
        return ContentOutcome::damaged(
            finding_code::content_plist_unreadable,
            "the NSKeyedArchiver archive has no $objects array or no $top dictionary");
    }
    std::string dangling = first_dangling_uid(root, objects.size());
    if (!dangling.empty()) {
        return ContentOutcome::damaged(finding_code::content_plist_unreadable,
                                       "the NSKeyedArchiver archive is broken: " + dangling);
    }
    return ContentOutcome::sound();
}

}  // namespace bkcheck::detail
