// Processes for the load generator: the server under test as a child, worker processes
// that each drive a slice of the connections, line-based pipes between them, and what
// /proc says about a process. POSIX only (Linux: /proc, PR_SET_PDEATHSIG).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace cylch::bench {

// Raises RLIMIT_NOFILE to its hard limit; returns the new soft limit.
long raise_file_limit();

// CPU seconds (user + system) and memory of a live process, from /proc/PID/stat and status.
struct proc_sample {
    bool ok = false;
    double cpu_seconds = 0;
    double system_seconds = 0; // the part of cpu_seconds spent in the kernel
    long rss_kb = 0;           // VmRSS
    long hwm_kb = 0;           // VmHWM, peak RSS
};
proc_sample sample_process(pid_t pid);
// This process's own CPU seconds (getrusage).
double own_cpu_seconds();

// Reads lines from a file descriptor, with a bounded wait.
class line_reader {
public:
    explicit line_reader(int fd = -1)
        : fd_(fd) {}
    int fd() const { return fd_; }
    // The next complete line, waiting at most `timeout`; nullopt on timeout or end of file.
    std::optional<std::string> next(std::chrono::milliseconds timeout);
    bool eof() const { return eof_; }

private:
    int fd_;
    std::string buffer_;
    bool eof_ = false;
};

// A child process whose standard output is a pipe to us and whose standard error goes to
// `stderr_path`. It gets SIGTERM if we die.
struct child_process {
    pid_t pid = -1;
    line_reader out;
};
child_process spawn(std::vector<std::string> const& argv, std::string const& stderr_path);

// Sends SIGTERM, waits up to `grace`, then SIGKILL. Returns the exit status as a shell shows
// it (128 + signal for a signal), or -1 when the process was not ours.
int stop_process(pid_t pid, std::chrono::milliseconds grace);

// A forked worker: runs `body(read_fd, write_fd)` in a child process and exits with its result.
// The parent writes commands to `to_child` and reads lines from `from_child`.
struct worker_process {
    pid_t pid = -1;
    int to_child = -1;
    line_reader from_child;
};
worker_process fork_worker(std::function<int(int read_fd, int write_fd)> const& body);

// Writes one line (a newline is appended); false when the pipe is closed.
bool write_line(int fd, std::string const& line);

// A server under test: cylch-server, or another that prints the same start-up lines.
struct server_info {
    pid_t pid = 0; // 0: unknown (attached without --pid)
    bool ours = false;
    std::uint16_t port = 0;
    std::string workshop_id;
    std::string code;
    std::string facilitator_token;
    std::string log_path;
};

// Starts a server (argv[0] is its program; standard error to `log_path`) and reads what it
// prints until "listening on http://HOST:PORT" and, with `expect_workshop`, the imported
// workshop's id, code and facilitator token. Throws std::runtime_error (after stopping it)
// when that does not come within 30 s.
server_info start_server(std::vector<std::string> const& argv, std::string const& log_path,
                         bool expect_workshop);

} // namespace cylch::bench

namespace cylch::bench {

// The body of `GET path` from 127.0.0.1:port (HTTP/1.0, plain sockets), empty on failure.
// Bounded by `timeout` (per read) and 64 MiB. `headers`: extra request header lines
// ("Authorization: Bearer …"), without line ends.
std::string http_get(std::uint16_t port, std::string const& path, std::chrono::milliseconds timeout,
                     std::vector<std::string> const& headers = {});
// The body of `POST path` with `body` (JSON), the same way; empty on failure.
std::string http_post(std::uint16_t port, std::string const& path, std::string const& body,
                      std::chrono::milliseconds timeout,
                      std::vector<std::string> const& headers = {});

} // namespace cylch::bench
