// `cylch-server user …`: staff accounts from the command line (the first admin, and any
// account while the server runs). Passwords come from a file or a prompt, never an argument.
#include "server/user_command.hpp"

#include "server/auth/tokens.hpp"
#include "server/store/account_store.hpp"
#include "server/store/audit.hpp"
#include "server/store/store.hpp"
#include "shared/protocol/user_text.hpp"

#include <boost/program_options.hpp>

#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;

namespace cylch {
namespace {

std::string strip_newline(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
        s.pop_back();
    }
    return s;
}

// Reads a line from the terminal without echo; from standard input when it is not a terminal.
std::optional<std::string> prompt_password(char const* question) {
    bool const tty = isatty(STDIN_FILENO) != 0;
    termios old{};
    if (tty) {
        std::cerr << question << std::flush;
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    bool const ok = static_cast<bool>(std::getline(std::cin, line));
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    if (!ok) {
        return std::nullopt;
    }
    return strip_newline(line);
}

} // namespace

int user_command(int argc, char** argv) {
    std::string action;
    std::string db_path = "cylch.db";
    std::string role_name;
    std::string name;
    std::string password_file;
    po::options_description options("cylch-server user options");
    options.add_options()("help,h", "show this help and exit")(
        "db", po::value(&db_path)->default_value(db_path), "SQLite database file")(
        "role", po::value(&role_name), "admin, facilitator or reviewer (for add)")(
        "name", po::value(&name), "the account's sign-in name, 1 to 64 characters (for add)")(
        "password-file", po::value(&password_file),
        "file whose first line is the password (else it is asked for, or read from standard "
        "input when that is not a terminal)");
    po::options_description hidden;
    hidden.add_options()("action", po::value(&action));
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("action", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(),
                  vm);
        po::notify(vm);
    } catch (po::error const& e) {
        std::cerr << "cylch-server user: " << e.what() << "\n";
        return 2;
    }
    if (vm.count("help") || (action != "add" && action != "list")) {
        std::cout << "Usage: cylch-server user add --db DB --role ROLE --name NAME "
                     "[--password-file F]\n       cylch-server user list --db DB\n\n"
                  << options;
        return vm.count("help") ? 0 : 2;
    }
    try {
        auth::init();
        { store::store migrate_only(store::store_options{db_path}); } // schema up to date
        store::account_store db(db_path);
        if (action == "list") {
            for (auto const& u : db.users()) {
                std::cout << u.name << "\t" << protocol::to_string(u.role)
                          << (u.disabled ? "\tdisabled" : "") << "\n";
            }
            return 0;
        }
        auto role = protocol::account_role_from_string(role_name);
        if (!role) {
            std::cerr << "cylch-server user add: --role must be admin, facilitator or reviewer\n";
            return 2;
        }
        protocol::text_problem why{};
        auto clean = protocol::clean_user_text(name, 64, protocol::line_breaks::refused, &why);
        if (!clean) {
            std::cerr << "cylch-server user add: --name " << protocol::describe(why, 64) << "\n";
            return 2;
        }
        name = *clean;
        std::optional<std::string> password;
        if (!password_file.empty()) {
            std::ifstream in(password_file);
            std::string line;
            if (in && std::getline(in, line)) {
                password = strip_newline(line);
            }
            if (!password) {
                std::cerr << "cylch-server user add: cannot read " << password_file << "\n";
                return 2;
            }
        } else {
            password = prompt_password("password: ");
        }
        if (!password || password->size() < 10 || password->size() > 1024) {
            std::cerr << "cylch-server user add: the password must be 10 to 1024 bytes\n";
            return 2;
        }
        auto const now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        store::user_row u{
            auth::new_id("u"), name, *role, auth::hash_password(*password), false, now};
        if (!db.add_user(u)) {
            std::cerr << "cylch-server user add: the name " << name << " is taken\n";
            return 1;
        }
        store::audit_entry e;
        e.at = now;
        e.actor_kind = protocol::audit_actor::operator_;
        e.actor = "operator";
        e.action = protocol::audit_action::user_added;
        e.detail = name + " " + std::string(protocol::to_string(*role));
        store::append_audit(db_path, e);
        std::cout << "added " << protocol::to_string(*role) << " " << name << "\n";
        return 0;
    } catch (std::exception const& e) {
        std::cerr << "cylch-server user: " << e.what() << "\n";
        return 1;
    }
}

} // namespace cylch
