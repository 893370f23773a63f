#include "bench/processes.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cylch::bench {

namespace {

std::string after_prefix(std::string const& line, std::string const& prefix) {
    auto at = line.find(prefix);
    return at == std::string::npos ? std::string() : line.substr(at + prefix.size());
}

} // namespace

server_info start_server(std::vector<std::string> const& argv, std::string const& log_path,
                         bool expect_workshop) {
    using clock = std::chrono::steady_clock;
    auto child = spawn(argv, log_path);
    server_info s;
    s.pid = child.pid;
    s.ours = true;
    s.log_path = log_path;
    auto const deadline = clock::now() + std::chrono::seconds(30);
    while (clock::now() < deadline) {
        auto line = child.out.next(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()));
        if (!line) {
            break;
        }
        if (auto v = after_prefix(*line, "listening on http://"); !v.empty()) {
            s.port = static_cast<std::uint16_t>(std::stoi(v.substr(v.rfind(':') + 1)));
        } else if (auto w = after_prefix(*line, "workshop: "); !w.empty()) {
            s.workshop_id = w;
        } else if (auto c = after_prefix(*line, "  code: "); !c.empty()) {
            s.code = c;
        } else if (auto t = after_prefix(*line, "  facilitator token: "); !t.empty()) {
            s.facilitator_token = t;
        }
        if (s.port != 0 && (!expect_workshop || !s.facilitator_token.empty())) {
            return s;
        }
    }
    stop_process(child.pid, std::chrono::seconds(2));
    throw std::runtime_error("server did not start (" + argv[0] + "); see " + log_path);
}

long raise_file_limit() {
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0) {
        return -1;
    }
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
    ::getrlimit(RLIMIT_NOFILE, &r);
    return static_cast<long>(r.rlim_cur);
}

proc_sample sample_process(pid_t pid) {
    proc_sample s;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return s;
    }
    // Fields after the command name, which is in parentheses and may contain spaces.
    auto const close = line.rfind(')');
    if (close == std::string::npos) {
        return s;
    }
    std::istringstream fields(line.substr(close + 2));
    std::string field;
    unsigned long utime = 0;
    unsigned long stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) {
            utime = std::stoul(field);
        } else if (i == 15) {
            stime = std::stoul(field);
        }
    }
    auto const tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    s.cpu_seconds = static_cast<double>(utime + stime) / tick;
    s.system_seconds = static_cast<double>(stime) / tick;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            s.rss_kb = std::atol(line.c_str() + 6);
        } else if (line.rfind("VmHWM:", 0) == 0) {
            s.hwm_kb = std::atol(line.c_str() + 6);
        }
    }
    s.ok = true;
    return s;
}

double own_cpu_seconds() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    auto secs = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return secs(u.ru_utime) + secs(u.ru_stime);
}

std::optional<std::string> line_reader::next(std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        if (eof_ || fd_ < 0) {
            return std::nullopt;
        }
        auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() < 0) {
            return std::nullopt;
        }
        pollfd p{fd_, POLLIN, 0};
        int const r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return std::nullopt;
        }
        char buf[65536];
        auto const n = ::read(fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            eof_ = true;
            continue;
        }
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

child_process spawn(std::vector<std::string> const& argv, std::string const& stderr_path) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));
    }
    std::vector<char*> args;
    for (auto const& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    pid_t const parent = ::getpid();
    pid_t const pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork: " + std::string(std::strerror(errno)));
    }
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) {
            ::_exit(127);
        }
        ::dup2(out[1], STDOUT_FILENO);
        int const err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (err >= 0) {
            ::dup2(err, STDERR_FILENO);
        }
        ::execv(args[0], args.data());
        std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
        ::_exit(127);
    }
    ::close(out[1]);
    child_process c;
    c.pid = pid;
    c.out = line_reader(out[0]);
    return c;
}

int stop_process(pid_t pid, std::chrono::milliseconds grace) {
    if (pid <= 0) {
        return -1;
    }
    ::kill(pid, SIGTERM);
    auto const deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    for (;;) {
        pid_t const r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            break;
        }
        if (r < 0) {
            return -1;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

worker_process fork_worker(std::function<int(int, int)> const& body) {
    int down[2];
    int up[2];
    if (::pipe2(down, O_CLOEXEC) != 0 || ::pipe2(up, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));
    }
    std::fflush(nullptr);
    pid_t const parent = ::getpid();
    pid_t const pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork: " + std::string(std::strerror(errno)));
    }
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) {
            ::_exit(127);
        }
        ::close(down[1]);
        ::close(up[0]);
        int rc = 1;
        try {
            rc = body(down[0], up[1]);
        } catch (std::exception const& e) {
            std::fprintf(stderr, "cylch-loadgen worker: %s\n", e.what());
        }
        std::fflush(nullptr);
        ::_exit(rc);
    }
    ::close(down[0]);
    ::close(up[1]);
    worker_process w;
    w.pid = pid;
    w.to_child = down[1];
    w.from_child = line_reader(up[0]);
    return w;
}

bool write_line(int fd, std::string const& line) {
    std::string data = line + "\n";
    std::size_t done = 0;
    while (done < data.size()) {
        auto const n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

namespace {

std::string http_request(std::uint16_t port, std::string const& method, std::string const& path,
                         std::string const& body, std::chrono::milliseconds timeout,
                         std::vector<std::string> const& headers) {
    int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return {};
    }
    timeval tv{static_cast<time_t>(timeout.count() / 1000),
               static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string response;
    if (::connect(fd, reinterpret_cast<sockaddr const*>(&to), sizeof to) == 0 &&
        write_line(fd, [&] {
            std::string request = method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n";
            for (auto const& h : headers) {
                request += h + "\r\n";
            }
            if (method != "GET") {
                request += "Content-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body;
                return request; // write_line appends a newline after the body: harmless
            }
            return request + "\r";
        }())) {
        char buf[16384];
        for (;;) {
            auto const n = ::read(fd, buf, sizeof buf);
            if (n <= 0) {
                break;
            }
            response.append(buf, static_cast<std::size_t>(n));
            if (response.size() > (64u << 20)) {
                break;
            }
        }
    }
    ::close(fd);
    auto const at = response.find("\r\n\r\n");
    return at == std::string::npos ? std::string() : response.substr(at + 4);
}

} // namespace

std::string http_get(std::uint16_t port, std::string const& path, std::chrono::milliseconds timeout,
                     std::vector<std::string> const& headers) {
    return http_request(port, "GET", path, {}, timeout, headers);
}

std::string http_post(std::uint16_t port, std::string const& path, std::string const& body,
                      std::chrono::milliseconds timeout, std::vector<std::string> const& headers) {
    return http_request(port, "POST", path, body, timeout, headers);
}

} // namespace cylch::bench
