// `sluice exec`: runs one GraphQL request against a schema and a JSON root value, prints the JSON response.
namespace sluice::app {
int exec_command(int, char**) { return 2; }
}  // namespace sluice::app
