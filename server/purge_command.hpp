// `cylch-server purge --db DB [--now RFC3339]` (docs/operations.md, "Retention").
#pragma once

namespace cylch {

// argv[0] is "purge"; returns the process exit status (0 done, 1 a purge failed, 2 bad
// arguments or no such database).
int purge_command(int argc, char** argv);

} // namespace cylch
