#include "bkcheck/status.h"

namespace bkcheck {

SecretBytes& SecretBytes::operator=(const SecretBytes& other)
{
    if (this != &other) {
        wipe();
        m_bytes = other.m_bytes;
    }
    return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        wipe();
        m_bytes = std::move(other.m_bytes);
    }
    return *this;
}

SecretBytes::~SecretBytes()
{
    wipe();
}

// Stores through a volatile pointer: the compiler must perform every store, even to memory that
// is freed right after (a plain memset there is a dead store it may remove).
void SecretBytes::wipe()
{
    volatile std::uint8_t* byte = m_bytes.data();
    for (std::size_t i = 0; i < m_bytes.size(); ++i) byte[i] = 0;
}

}  // namespace bkcheck
