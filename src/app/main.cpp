// The `sluice` command line program: `sluice exec` (and, later, `sluice serve`).
#include <cstdio>
#include <string_view>

namespace sluice::app {
int exec_command(int argc, char** argv);
}

int main(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "exec") return sluice::app::exec_command(argc - 1, argv + 1);
  std::fprintf(stderr,
               "usage: sluice exec --schema SCHEMA.graphql [--root ROOT.json] [--variables VARS.json] "
               "[--operation NAME] QUERY.graphql\n");
  return 2;
}
