#include "plist_writer.h"

#include <plist/plist.h>

namespace bkcheck {
namespace {

// libplist dates count from 2001-01-01 (the Cocoa epoch).
constexpr std::int64_t k_cocoa_epoch_offset = 978307200;

}  // namespace

void PlistBuilder::Free::operator()(void* node) const
{
    plist_free(static_cast<plist_t>(node));
}

PlistBuilder::PlistBuilder() : m_dict(plist_new_dict()) {}

PlistBuilder& PlistBuilder::set_string(const char* key, const std::string& value)
{
    plist_dict_set_item(m_dict.get(), key, plist_new_string(value.c_str()));
    return *this;
}

PlistBuilder& PlistBuilder::set_integer(const char* key, std::uint64_t value)
{
    plist_dict_set_item(m_dict.get(), key, plist_new_uint(value));
    return *this;
}

PlistBuilder& PlistBuilder::set_bool(const char* key, bool value)
{
    plist_dict_set_item(m_dict.get(), key, plist_new_bool(value ? 1 : 0));
    return *this;
}

PlistBuilder& PlistBuilder::set_date(const char* key, std::int64_t unix_seconds)
{
    plist_dict_set_item(
        m_dict.get(), key,
        plist_new_date(static_cast<int32_t>(unix_seconds - k_cocoa_epoch_offset), 0));
    return *this;
}

PlistBuilder& PlistBuilder::set_data(const char* key, ByteView value)
{
    plist_dict_set_item(m_dict.get(), key,
                        plist_new_data(reinterpret_cast<const char*>(value.data()), value.size()));
    return *this;
}

PlistBuilder& PlistBuilder::set_dict(const char* key, PlistBuilder value)
{
    plist_dict_set_item(m_dict.get(), key, value.m_dict.release());
    return *this;
}

PlistBuilder& PlistBuilder::set_array(const char* key, std::vector<PlistBuilder> dicts)
{
    plist_t array = plist_new_array();
    for (PlistBuilder& dict : dicts) plist_array_append_item(array, dict.m_dict.release());
    plist_dict_set_item(m_dict.get(), key, array);
    return *this;
}

PlistBuilder& PlistBuilder::set_string_array(const char* key,
                                             const std::vector<std::string>& values)
{
    plist_t array = plist_new_array();
    for (const std::string& value : values)
        plist_array_append_item(array, plist_new_string(value.c_str()));
    plist_dict_set_item(m_dict.get(), key, array);
    return *this;
}

PlistBuilder& PlistBuilder::set_copy(const char* key, PlistNode node)
{
    if (node.is_present())
        plist_dict_set_item(m_dict.get(), key, plist_copy(static_cast<plist_t>(node.raw())));
    return *this;
}

Bytes PlistBuilder::serialize(PlistEncoding encoding) const
{
    char* buffer = nullptr;
    std::uint32_t length = 0;
    if (encoding == PlistEncoding::Binary) {
        plist_to_bin(m_dict.get(), &buffer, &length);
    } else {
        plist_to_xml(m_dict.get(), &buffer, &length);
    }
    Bytes out(buffer, buffer + length);
    if (encoding == PlistEncoding::Binary) {
        plist_to_bin_free(buffer);
    } else {
        plist_to_xml_free(buffer);
    }
    return out;
}

}  // namespace bkcheck
