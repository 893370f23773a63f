// `cylch-server user add|list` (docs/operations.md, "Accounts").
#pragma once

namespace cylch {

// argv[0] is "user"; returns the process exit status.
int user_command(int argc, char** argv);

} // namespace cylch
