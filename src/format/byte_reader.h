// A bounds-checked big-endian reader over bytes (ccache's CacheEntryDataReader idea), for
// Manifest.mbdb and keybag TLVs. Every read checks the remaining length first, so a hostile length
// field can never make us read past the end or allocate more than the input holds.
#pragma once

#include "bytes.h"

#include <cstdint>
#include <optional>
#include <string>

namespace bkcheck::detail {

class ByteReader {
public:
    explicit ByteReader(ByteView bytes) : m_bytes(bytes) {}

    std::size_t offset() const { return m_offset; }
    std::size_t remaining() const { return m_bytes.size() - m_offset; }
    bool at_end() const { return m_offset == m_bytes.size(); }

    std::optional<std::uint64_t> read_be(std::size_t width)
    {
        if (remaining() < width) return std::nullopt;
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < width; ++i) value = value << 8 | m_bytes[m_offset + i];
        m_offset += width;
        return value;
    }
    std::optional<std::uint8_t> u8() { return narrow<std::uint8_t>(read_be(1)); }
    std::optional<std::uint16_t> u16() { return narrow<std::uint16_t>(read_be(2)); }
    std::optional<std::uint32_t> u32() { return narrow<std::uint32_t>(read_be(4)); }
    std::optional<std::uint64_t> u64() { return read_be(8); }

    std::optional<ByteView> bytes(std::size_t count)
    {
        if (remaining() < count) return std::nullopt;
        ByteView view = m_bytes.subspan(m_offset, count);
        m_offset += count;
        return view;
    }

private:
    template <typename T>
    static std::optional<T> narrow(std::optional<std::uint64_t> value)
    {
        if (!value) return std::nullopt;
        return static_cast<T>(*value);
    }

    ByteView m_bytes;
    std::size_t m_offset = 0;
};

}  // namespace bkcheck::detail
