// A program under test run as a child process: its output read through a pipe with timeouts,
// optionally its standard input and output on a pseudo-terminal (for full-screen programs
// such as cylch-kiosk), signals, and a hard kill on destruction.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace cylch::test {

class child_process {
public:
    struct options {
        // Standard input and output on a pseudo-terminal of this size; standard error alone
        // goes to the pipe. Without it, standard output and error both go to the pipe.
        bool terminal = false;
        unsigned short columns = 80;
        unsigned short rows = 24;
        std::vector<std::string> environment; // extra "NAME=value" entries
    };

    explicit child_process(std::vector<std::string> args)
        : child_process(std::move(args), {}) {}
    child_process(std::vector<std::string> args, options opt);
    ~child_process();
    child_process(child_process const&) = delete;
    child_process& operator=(child_process const&) = delete;

    // Reads the pipe until a line matches (returned) or the output ends or the time is up
    // (""). Lines read on the way are appended to *all when given.
    std::string line_matching(std::regex const& re, std::string* all = nullptr,
                              std::chrono::milliseconds timeout = std::chrono::seconds(60));
    // Everything until the output ends (or the time is up).
    std::string rest(std::chrono::milliseconds timeout = std::chrono::seconds(60));
    // The exit status (128 + signal when killed), waiting at most `timeout`; -1 on timeout.
    int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(60));
    void signal(int sig);
    // SIGKILL and reap: the program gets no chance to do anything more.
    void kill_now();
    bool running() const { return pid_ > 0; }

    // Terminal mode: type keys, and read what the program has drawn so far (raw bytes, with
    // the terminal's control sequences).
    void type(std::string const& keys);
    std::string terminal_output() const;

private:
    std::optional<std::string> next_line(std::chrono::steady_clock::time_point deadline);

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int master_fd_ = -1;
    std::string pending_; // read from the pipe, not yet returned as lines
    bool eof_ = false;
    mutable std::mutex screen_mutex_;
    std::string screen_;
    std::thread drain_; // reads the terminal so that the program never blocks writing to it
};

} // namespace cylch::test
