#include "server/store/db_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

namespace cylch::store {

db_lock::db_lock(std::string const& path, mode m) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        return;
    }
    int const op = m == mode::shared_wait ? LOCK_SH : LOCK_EX | LOCK_NB;
    int rc = 0;
    do {
        rc = ::flock(fd_, op);
    } while (rc != 0 && errno == EINTR);
    held_ = rc == 0;
}

db_lock::~db_lock() {
    if (fd_ >= 0) {
        ::close(fd_); // releases the lock
    }
}

} // namespace cylch::store
