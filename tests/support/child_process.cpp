#include "tests/support/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdexcept>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <utility>

namespace cylch::test {

child_process::child_process(std::vector<std::string> args, options opt) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    int slave = -1;
    if (opt.terminal) {
        winsize ws{};
        ws.ws_col = opt.columns;
        ws.ws_row = opt.rows;
        if (openpty(&master_fd_, &slave, nullptr, nullptr, &ws) != 0) {
            throw std::runtime_error("openpty failed");
        }
        fcntl(master_fd_, F_SETFD, FD_CLOEXEC);
    }
    pid_ = fork();
    if (pid_ < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        if (opt.terminal) {
            setsid();
            ioctl(slave, TIOCSCTTY, 0);
            dup2(slave, 0);
            dup2(slave, 1);
            dup2(fds[1], 2);
            close(slave);
        } else {
            dup2(fds[1], 1);
            dup2(fds[1], 2);
        }
        for (auto const& e : opt.environment) {
            putenv(strdup(e.c_str()));
        }
        std::vector<char*> argv;
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    out_fd_ = fds[0];
    if (opt.terminal) {
        close(slave);
        drain_ = std::thread([this] {
            char buf[4096];
            for (;;) {
                ssize_t const n = ::read(master_fd_, buf, sizeof buf);
                if (n <= 0) {
                    if (n < 0 && errno == EINTR) {
                        continue;
                    }
                    return; // EIO once the program and every copy of the terminal are gone
                }
                std::lock_guard lock(screen_mutex_);
                screen_.append(buf, static_cast<std::size_t>(n));
            }
        });
    }
}

child_process::~child_process() {
    kill_now();
    if (master_fd_ >= 0) {
        // The program is gone, so the drain thread's read ends (EIO); close after joining.
        if (drain_.joinable()) {
            drain_.join();
        }
        close(master_fd_);
        master_fd_ = -1;
    }
    if (drain_.joinable()) {
        drain_.join();
    }
    if (out_fd_ >= 0) {
        close(out_fd_);
    }
}

void child_process::signal(int sig) {
    if (pid_ > 0) {
        ::kill(pid_, sig);
    }
}

void child_process::kill_now() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
}

int child_process::wait_exit(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) {
        return -1;
    }
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t const r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::optional<std::string>
child_process::next_line(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        if (auto nl = pending_.find('\n'); nl != std::string::npos) {
            std::string line = pending_.substr(0, nl + 1);
            pending_.erase(0, nl + 1);
            return line;
        }
        if (eof_) {
            if (pending_.empty()) {
                return std::nullopt;
            }
            return std::exchange(pending_, {});
        }
        auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        pollfd p{out_fd_, POLLIN, 0};
        int const r = poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return std::nullopt;
        }
        char buf[4096];
        ssize_t const n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0) {
            eof_ = true;
        } else {
            pending_.append(buf, static_cast<std::size_t>(n));
        }
    }
}

std::string child_process::line_matching(std::regex const& re, std::string* all,
                                         std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (auto line = next_line(deadline)) {
        if (all) {
            *all += *line;
        }
        if (std::regex_search(*line, re)) {
            return *line;
        }
    }
    return {};
}

std::string child_process::rest(std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    std::string all;
    while (auto line = next_line(deadline)) {
        all += *line;
    }
    return all;
}

void child_process::type(std::string const& keys) {
    if (master_fd_ < 0) {
        throw std::logic_error("type() needs a child started with a terminal");
    }
    for (std::size_t done = 0; done < keys.size();) {
        ssize_t const n = ::write(master_fd_, keys.data() + done, keys.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            throw std::runtime_error("writing to the terminal failed");
        }
        done += static_cast<std::size_t>(n);
    }
}

std::string child_process::terminal_output() const {
    std::lock_guard lock(screen_mutex_);
    return screen_;
}

} // namespace cylch::test
