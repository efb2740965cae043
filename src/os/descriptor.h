// Owns a POSIX file descriptor, so every early return closes it (the OS layer's one RAII handle).
#pragma once

#include <utility>

#include <unistd.h>

namespace bkcheck::detail {

class Descriptor {
public:
    explicit Descriptor(int fd = -1) : m_fd(fd) {}
    ~Descriptor() { static_cast<void>(close()); }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    Descriptor(Descriptor&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Descriptor& operator=(Descriptor&& other) noexcept
    {
        std::swap(m_fd, other.m_fd);  // the old descriptor closes with `other`
        return *this;
    }

    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }
    // Closes now and returns close(2)'s result (a write error can surface only here); 0 when none
    // is held.
    int close() { return m_fd >= 0 ? ::close(std::exchange(m_fd, -1)) : 0; }

private:
    int m_fd;
};

}  // namespace bkcheck::detail
